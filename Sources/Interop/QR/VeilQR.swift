// VeilQR: QR encode (libqrencode) and decode (zbar). (placeholder)
