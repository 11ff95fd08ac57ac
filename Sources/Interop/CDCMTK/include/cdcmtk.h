// Placeholder until the CDCMTK shim lands.
