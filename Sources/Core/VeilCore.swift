// VeilCore: the reversible protection engine. (placeholder)
