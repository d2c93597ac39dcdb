#ifndef MFAD_CQRENCODE_H
#define MFAD_CQRENCODE_H

// Shim header for libqrencode (Debian libqrencode-dev, 4.1): QR code matrices for MFAQRCode.
// Only QRcode_encodeString, QRcode_encodeData and QRcode_free are used. Debian builds the
// library with pthreads, which makes encoding thread-safe.
#include <qrencode.h>

#endif
