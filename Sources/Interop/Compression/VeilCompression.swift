// VeilCompression: zlib/lzma/zstd codecs. (placeholder)
