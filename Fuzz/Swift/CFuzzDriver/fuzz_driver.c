/* Only the header matters: LLVMFuzzerRunDriver is libFuzzer's. */
