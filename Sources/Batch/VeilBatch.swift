// VeilBatch: trees, manifest, concurrency. (placeholder)
@_exported import VeilPipeline
