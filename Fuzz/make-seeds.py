#!/usr/bin/env python3
"""Writes small seed inputs for the fuzz targets into DIR/<target>/ (scripts/fuzz calls it).

DICOM seeds are the real samples in .samples/, cut down to a few kilobytes (libFuzzer's input size limit
follows the largest seed, and small inputs run much faster), in each transfer syntax they come in, plus a
few hand-made edge cases. The Swift parsers get inputs in their own formats, written here from the
format descriptions (docs/DESIGN.md): a stale seed after a format change only costs coverage, never a
wrong result.
"""
import io, os, struct, sys, glob

out, samples = sys.argv[1], sys.argv[2]


def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)


def element(group, number, vr, value):
    if len(value) % 2:
        value += b"\0" if vr == b"UI" else b" "
    if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT"):
        return struct.pack("<HH", group, number) + vr + b"\0\0" + struct.pack("<I", len(value)) + value
    return struct.pack("<HH", group, number) + vr + struct.pack("<H", len(value)) + value


def file_with(dataset, syntax=b"1.2.840.10008.1.2.1"):
    meta = element(2, 1, b"OB", b"\0\1") + element(2, 2, b"UI", b"1.2.840.10008.5.1.4.1.1.7") \
        + element(2, 3, b"UI", b"1.2.3.4") + element(2, 0x10, b"UI", syntax)
    return b"\0" * 128 + b"DICM" + element(2, 0, b"UL", struct.pack("<I", len(meta))) + meta + dataset


def image(rows=16, columns=16, frames=1, extra=b""):
    pixels = bytes((i * 7) & 0xFF for i in range(rows * columns * 2 * frames))
    return (element(8, 0x16, b"UI", b"1.2.840.10008.5.1.4.1.1.7") + element(8, 0x18, b"UI", b"1.2.3.4")
            + element(0x28, 2, b"US", struct.pack("<H", 1)) + element(0x28, 4, b"CS", b"MONOCHROME2")
            + element(0x28, 8, b"IS", str(frames).encode())
            + element(0x28, 0x10, b"US", struct.pack("<H", rows)) + element(0x28, 0x11, b"US", struct.pack("<H", columns))
            + element(0x28, 0x100, b"US", struct.pack("<H", 16)) + element(0x28, 0x101, b"US", struct.pack("<H", 12))
            + element(0x28, 0x102, b"US", struct.pack("<H", 11)) + element(0x28, 0x103, b"US", struct.pack("<H", 1))
            + element(0x28, 0x1050, b"DS", b"40") + element(0x28, 0x1051, b"DS", b"400")
            + element(0x28, 0x1052, b"DS", b"-1024") + element(0x28, 0x1053, b"DS", b"1") + extra
            + element(0x7FE0, 0x10, b"OW", pixels))


dicom = {}
try:
    import pydicom
    for path in sorted(glob.glob(os.path.join(samples, "*.dcm"))):
        ds = pydicom.dcmread(path)
        name = os.path.basename(path)
        if not ds.file_meta.TransferSyntaxUID.is_compressed and "PixelData" in ds and ds.get("SamplesPerPixel", 1) == 1:
            # Cropped to 16×16 (one frame): every attribute of the real file, a few hundred bytes of pixels.
            words = ds.BitsAllocated // 8
            rows, columns = min(ds.Rows, 16), min(ds.Columns, 16)
            frame = ds.PixelData[: ds.Rows * ds.Columns * words]
            ds.PixelData = b"".join(frame[r * ds.Columns * words:(r * ds.Columns + columns) * words] for r in range(rows))
            ds.Rows, ds.Columns = rows, columns
            if "NumberOfFrames" in ds:
                ds.NumberOfFrames = 1
            buffer = io.BytesIO()
            ds.save_as(buffer)
            dicom[name] = buffer.getvalue()
        else:
            data = open(path, "rb").read()
            if len(data) <= 64 * 1024:
                dicom[name] = data
        # The dataset alone, Explicit VR Little Endian: what the EAS decoder reads.
        header = pydicom.dcmread(path, stop_before_pixels=True)
        buffer = io.BytesIO()
        from pydicom.filewriter import write_dataset
        from pydicom.filebase import DicomFileLike
        fp = DicomFileLike(buffer)
        fp.is_little_endian, fp.is_implicit_VR = True, False
        write_dataset(fp, header)
        put("attribute-codec", name, buffer.getvalue())
except ImportError:
    print("make-seeds: pydicom missing, DICOM seeds are only the hand-made ones", file=sys.stderr)

dicom["handmade-image.dcm"] = file_with(image())
dicom["handmade-frames.dcm"] = file_with(image(frames=3))
dicom["handmade-implicit.dcm"] = file_with(b"".join([
    struct.pack("<HHI", 8, 0x16, 26) + b"1.2.840.10008.5.1.4.1.1.7\0",
    struct.pack("<HHI", 0x10, 0x10, 4) + b"X^Y "]), syntax=b"1.2.840.10008.1.2")
nested = element(8, 0x1150, b"UI", b"1.2.3")
for _ in range(8):
    nested = struct.pack("<HH", 8, 0x1140) + b"SQ\0\0" + struct.pack("<I", 0xFFFFFFFF) + struct.pack("<HHI", 0xFFFE, 0xE000, 0xFFFFFFFF) \
        + nested + struct.pack("<HHI", 0xFFFE, 0xE00D, 0) + struct.pack("<HHI", 0xFFFE, 0xE0DD, 0)
dicom["handmade-nested.dcm"] = file_with(element(8, 0x16, b"UI", b"1.2.840.10008.5.1.4.1.1.7") + nested)
for name, data in dicom.items():
    put("dicom-read", name, data)
    put("dicom-file", name, data)
put("attribute-codec", "handmade-nested", element(8, 0x16, b"UI", b"1.2.840.10008.5.1.4.1.1.7") + nested)

# QR content: readable lines, then "DV1/" + 16-character fingerprint + "/" + Base45 of the wrapped key.
base45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45(data):
    text = ""
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        text += base45[n % 45] + base45[n // 45 % 45] + base45[n // 2025]
    if len(data) % 2:
        text += base45[data[-1] % 45] + base45[data[-1] // 45]
    return text
key = bytes((i * 31) & 0xFF for i in range(256))
put("qr-content", "with-lines", f"dcmveil\nID ANON-1\nCT CHEST\nDV1/0123456789abcdef/{b45(key)}".encode())
put("qr-content", "key-block-only", f"DV1/0123456789abcdef/{b45(key[:40])}".encode())

# Restoration record: "DVR1", frames, added tags, template flag (+ byte order, prefix, suffix, SHA-256 blocks).
def block(data):
    return struct.pack(">I", len(data)) + data
record = b"DVR1" + struct.pack(">II", 1, 2) + struct.pack(">II", 0x00120062, 0x00120063)
put("restoration-record", "no-template", record + b"\0")
put("restoration-record", "template", record + b"\1\0" + block(b"\0" * 132 + b"DICM") + block(b"") + block(bytes(32)))
put("restoration-record", "little-endian-ints", b"DVR1" + struct.pack("<II", 1, 1) + struct.pack("<I", 0x00120062) + b"\0")

# Payload: blocks of S (the target's first byte), then version, packing, key-region length, key region,
# 8 bytes of LSBs per block of S, 32-byte checksum.
for blocks, packing in ((1, 1), (3, 3)):
    region = bytes(range(50))
    put("payload", f"blocks-{blocks}", bytes([blocks, 1, packing]) + struct.pack(">I", len(region)) + region
        + bytes(8 * blocks) + bytes(32))

# Side information: the target's first byte (passes, key-region position), then 64×64 samples whose LSBs
# start with the header: magic 0x5653, version 1, blocks, length.
bits = format(0x5653, "016b") + format(1, "08b") + format(2, "016b") + format(100, "024b")
bits += "1" * (100 - len(bits))
samples = bytearray(64 * 64)
for i, bit in enumerate(bits):
    samples[i] = int(bit)
put("side-information", "header", bytes([0]) + bytes(samples))
put("side-information", "zeros", bytes(64 * 64 + 1))
