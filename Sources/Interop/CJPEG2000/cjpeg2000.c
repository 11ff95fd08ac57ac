// JPEG 2000 decoding through OpenJPEG from a memory buffer.
#include "cjpeg2000.h"

#include <openjpeg-2.5/openjpeg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *bytes;
    size_t count;
    size_t offset;
} source;

static OPJ_SIZE_T source_read(void *buffer, OPJ_SIZE_T wanted, void *user) {
    source *in = user;
    if (in->offset >= in->count) return (OPJ_SIZE_T)-1;
    size_t n = in->count - in->offset < wanted ? in->count - in->offset : wanted;
    memcpy(buffer, in->bytes + in->offset, n);
    in->offset += n;
    return n;
}

static OPJ_OFF_T source_skip(OPJ_OFF_T skip, void *user) {
    source *in = user;
    if (skip < 0 && (size_t)(-skip) > in->offset) skip = -(OPJ_OFF_T)in->offset;
    if (skip > 0 && (size_t)skip > in->count - in->offset) skip = (OPJ_OFF_T)(in->count - in->offset);
    in->offset += skip;
    return skip;
}

static OPJ_BOOL source_seek(OPJ_OFF_T to, void *user) {
    source *in = user;
    if (to < 0 || (size_t)to > in->count) return OPJ_FALSE;
    in->offset = (size_t)to;
    return OPJ_TRUE;
}

static void quiet(const char *message, void *user) { (void)message; (void)user; }

static void keep_error(const char *message, void *user) {
    char *out = user;
    if (out[0] == 0) snprintf(out, 256, "%s", message);
    size_t length = strlen(out);
    if (length > 0 && out[length - 1] == '\n') out[length - 1] = 0;
}

int cj2k_decode(const uint8_t *codestream, size_t count, cj2k_image *image, char message[256]) {
    memset(image, 0, sizeof *image);
    message[0] = 0;
    static const uint8_t jp2[] = {0, 0, 0, 12, 'j', 'P', ' ', ' '};
    const bool isJP2 = count >= sizeof jp2 && memcmp(codestream, jp2, sizeof jp2) == 0;
    opj_codec_t *codec = opj_create_decompress(isJP2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    opj_stream_t *stream = opj_stream_create(1 << 16, OPJ_TRUE);
    opj_image_t *decoded = NULL;
    source in = {codestream, count, 0};
    int status = -1;
    if (!codec || !stream) { snprintf(message, 256, "out of memory"); goto done; }
    opj_set_info_handler(codec, quiet, NULL);
    opj_set_warning_handler(codec, quiet, NULL);
    opj_set_error_handler(codec, keep_error, message);
    opj_stream_set_user_data(stream, &in, NULL);
    opj_stream_set_user_data_length(stream, count);
    opj_stream_set_read_function(stream, source_read);
    opj_stream_set_skip_function(stream, source_skip);
    opj_stream_set_seek_function(stream, source_seek);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    if (!opj_setup_decoder(codec, &parameters) || !opj_read_header(stream, codec, &decoded) ||
        !opj_decode(codec, stream, decoded) || !opj_end_decompress(codec, stream)) {
        if (!message[0]) snprintf(message, 256, "OpenJPEG could not decode the codestream");
        goto done;
    }
    if (decoded->numcomps == 0 || decoded->numcomps > 4) { snprintf(message, 256, "%u components", decoded->numcomps); goto done; }
    const opj_image_comp_t *first = &decoded->comps[0];
    for (OPJ_UINT32 c = 0; c < decoded->numcomps; ++c) {
        const opj_image_comp_t *component = &decoded->comps[c];
        if (component->w != first->w || component->h != first->h || !component->data) {
            snprintf(message, 256, "component %u has another size (subsampled)", c);
            goto done;
        }
    }
    const size_t pixels = (size_t)first->w * first->h;
    image->samples = malloc(pixels * decoded->numcomps * sizeof(int32_t) + 1);
    if (!image->samples) { snprintf(message, 256, "out of memory"); goto done; }
    for (size_t p = 0; p < pixels; ++p)
        for (OPJ_UINT32 c = 0; c < decoded->numcomps; ++c)
            image->samples[p * decoded->numcomps + c] = decoded->comps[c].data[p];
    image->width = first->w;
    image->height = first->h;
    image->components = decoded->numcomps;
    image->precision = first->prec;
    image->is_signed = first->sgnd != 0;
    opj_codestream_info_v2_t *info = opj_get_cstr_info(codec);
    image->colour_transformed = info && decoded->numcomps >= 3 && info->m_default_tile_info.mct != 0;
    if (info) opj_destroy_cstr_info(&info);
    status = 0;
done:
    if (decoded) opj_image_destroy(decoded);
    if (stream) opj_stream_destroy(stream);
    if (codec) opj_destroy_codec(codec);
    return status;
}

void cj2k_image_free(cj2k_image *image) {
    free(image->samples);
    image->samples = NULL;
}
