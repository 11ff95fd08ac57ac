// VeilPipeline: protect / restore one instance. (placeholder)
import VeilCore
import VeilDICOM
