// Placeholder until the CCompression shim lands.
