// VeilDICOM: DICOM datasets and files over DCMTK. (placeholder)
