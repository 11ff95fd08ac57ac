"""Independent PSNR and SSIM for VeilEvaluateTests.

Reads two frames (a JSON object: width, height, bits, a, b) on stdin and prints
{"psnr": ..., "ssim": ..., "implementation": ...}. Uses scikit-image when it is installed,
else the same definition written out in NumPy/SciPy: Wang et al. (2004), 11x11 Gaussian
window with sigma 1.5, K1 = 0.01, K2 = 0.03, L = 2^bits - 1, mean over the windows that fit.
"""
import json
import sys

import numpy as np

frames = json.load(sys.stdin)
shape = (frames["height"], frames["width"])
a = np.array(frames["a"], dtype=np.float64).reshape(shape)
b = np.array(frames["b"], dtype=np.float64).reshape(shape)
peak = float(2 ** frames["bits"] - 1)

mse = np.mean((a - b) ** 2)
psnr = float("inf") if mse == 0 else 10 * np.log10(peak * peak / mse)

try:
    from skimage.metrics import structural_similarity

    ssim = structural_similarity(a, b, data_range=peak, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False)
    implementation = "scikit-image"
except ImportError:
    from scipy.signal import correlate2d

    x = np.arange(11) - 5
    g = np.exp(-(x ** 2) / (2 * 1.5 ** 2))
    window = np.outer(g, g) / np.outer(g, g).sum()

    def blur(image):
        return correlate2d(image, window, mode="valid")

    c1, c2 = (0.01 * peak) ** 2, (0.03 * peak) ** 2
    mu_a, mu_b = blur(a), blur(b)
    var_a = blur(a * a) - mu_a ** 2
    var_b = blur(b * b) - mu_b ** 2
    cov = blur(a * b) - mu_a * mu_b
    ssim = np.mean((2 * mu_a * mu_b + c1) * (2 * cov + c2) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2)))
    implementation = "numpy"

print(json.dumps({"psnr": psnr if np.isfinite(psnr) else "inf", "ssim": float(ssim), "implementation": implementation}))
