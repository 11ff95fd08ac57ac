// VeilCrypto: OpenSSL-backed keys, RSA-OAEP, AES-GCM, CMS. (placeholder)
