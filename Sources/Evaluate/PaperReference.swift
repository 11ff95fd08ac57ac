/// The published figures our measurements are set against (SPEC §7: the BIBM 2019 version of
/// the paper, three hand-picked 512×512 TCIA CT images, brain, lung and neck, 8-bit).
struct PaperFigure {
    var psnr: ClosedRange<Double>
    var ssim: ClosedRange<Double>
    var psnrText: String
    var ssimText: String

    static let protected = PaperFigure(psnr: 12.98...13.80, ssim: 0.43...0.54, psnrText: "12.98–13.80 dB", ssimText: "0.43–0.54")
    static let intermediate = PaperFigure(psnr: 14.30...15.86, ssim: 0.66...0.79, psnrText: "14.30–15.86 dB", ssimText: "0.66–0.79")
    static let unauthorizedKeyRegion = PaperFigure(psnr: 7.03...7.82, ssim: -1...0.018, psnrText: "7.03–7.82 dB", ssimText: "≤ 0.018")
    static let lossless = PaperFigure(psnr: .infinity ... .infinity, ssim: 1...1, psnrText: "∞", ssimText: "1")
}
