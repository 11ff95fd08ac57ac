import VeilCore

/// PSNR and SSIM of one frame against a reference, the paper's two measures.
///
/// Both are computed on stored values with the peak 2^BitsStored − 1 (`VeilCore.Metrics`), so
/// a 12-bit CT frame is measured against 4095, not 255. PSNR is `.infinity` for identical frames.
package struct Quality: Sendable, Equatable {
    package var psnr: Double
    package var ssim: Double

    package init(psnr: Double, ssim: Double) {
        self.psnr = psnr
        self.ssim = ssim
    }

    /// `frame` measured against `reference`, over the whole frame or over `region` of both.
    package init(_ frame: Frame, against reference: Frame, in region: Region? = nil) {
        let (a, b) = region.map { (frame.cropped(to: $0), reference.cropped(to: $0)) } ?? (frame, reference)
        self.init(psnr: Metrics.psnr(a, b), ssim: Metrics.ssim(a, b))
    }
}
