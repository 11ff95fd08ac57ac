// Placeholder until the COpenSSL shim lands.
