// CQR: the QR libraries VeilQR wraps, libqrencode (encoding) and zbar (decoding).
// Their C interfaces are used directly from Swift; this header only gathers them into one module.
#ifndef CQR_H
#define CQR_H

#include <qrencode.h>
#include <zbar.h>

#endif
