// Placeholder until the CQR shim lands.
