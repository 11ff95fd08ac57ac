#include "copenssl.h"

#include <string.h>

struct passphrase_offer {
    const char *passphrase;
    int requested;
};

// OpenSSL asks for the passphrase through a callback; it records that it asked, and answers only
// with what the caller gave (never a prompt).
static int offer_passphrase(char *pass, size_t pass_size, size_t *pass_len,
                            const OSSL_PARAM params[], void *arg) {
    (void)params;
    struct passphrase_offer *offer = arg;
    offer->requested = 1;
    if (offer->passphrase == NULL) return 0;
    size_t length = strlen(offer->passphrase);
    if (length > pass_size) return 0;
    memcpy(pass, offer->passphrase, length);
    *pass_len = length;
    return 1;
}

EVP_PKEY *copenssl_decode_private_key(const uint8_t *bytes, size_t count, const char *input_type,
                                      const char *passphrase, int *passphrase_requested) {
    EVP_PKEY *key = NULL;
    struct passphrase_offer offer = { passphrase, 0 };
    OSSL_DECODER_CTX *decoder = OSSL_DECODER_CTX_new_for_pkey(
        &key, input_type, NULL, NULL, OSSL_KEYMGMT_SELECT_KEYPAIR, NULL, NULL);
    if (decoder == NULL) return NULL;

    int ok = OSSL_DECODER_CTX_set_passphrase_cb(decoder, offer_passphrase, &offer);
    const unsigned char *data = bytes;
    size_t remaining = count;
    ok = ok && OSSL_DECODER_from_data(decoder, &data, &remaining);
    OSSL_DECODER_CTX_free(decoder);

    *passphrase_requested = offer.requested;
    if (!ok) {
        EVP_PKEY_free(key);
        return NULL;
    }
    return key;
}
