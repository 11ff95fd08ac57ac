// COpenSSL: the OpenSSL 3 headers VeilCrypto uses, plus the one helper Swift cannot express well.
//
// Deprecated OpenSSL interfaces are hidden so that nothing in VeilCrypto can come to rely on them.
#ifndef COPENSSL_H
#define COPENSSL_H

#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/cms.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stddef.h>
#include <stdint.h>

/// Name printing flags for RFC 2253 form (a macro expression Swift cannot import).
static const unsigned long copenssl_name_flags_rfc2253 = XN_FLAG_RFC2253;

/// Decodes a private key (PEM or DER; PKCS#1, PKCS#8 or encrypted PKCS#8; RSA, EC, ...).
///
/// `input_type` is "PEM", "DER" or NULL for either. `passphrase` (NUL-terminated, may be NULL) is
/// offered only if the key turns out to be encrypted; `*passphrase_requested` tells the caller whether
/// it was, so that a failure can be reported as a wrong or missing passphrase rather than as bad data.
/// OpenSSL never prompts on the terminal. Returns a new key, or NULL with the error queue filled.
EVP_PKEY *copenssl_decode_private_key(const uint8_t *bytes, size_t count, const char *input_type,
                                      const char *passphrase, int *passphrase_requested);

#endif
