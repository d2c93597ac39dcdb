#ifndef MFAD_CPNG_H
#define MFAD_CPNG_H

// Shim header for libpng 1.6 (Debian libpng-dev): writes a grayscale PNG into memory.
//
// libpng reports errors by longjmp to a setjmp point. Swift cannot call setjmp safely (a
// longjmp over Swift frames skips releases and defers), so the whole write happens inside
// mfad_png_write_gray below, in C: setjmp, the write callback and the error callback are all
// C, and no longjmp ever crosses a Swift frame. Swift only passes the packed rows in and
// copies the bytes out, then calls mfad_png_buffer_free.

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// The output of mfad_png_write_gray: the encoded PNG (malloc'd, owned by the caller until
/// mfad_png_buffer_free), and libpng's message when the write failed.
typedef struct mfad_png_buffer {
    unsigned char *data;
    size_t length;
    size_t capacity;
    char error_message[128];
} mfad_png_buffer;

static inline void mfad_png_buffer_free(mfad_png_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = 0;
    buffer->capacity = 0;
}

// libpng write callback: appends to the growing buffer; png_error (longjmp) when it cannot.
static inline void mfad_png_write_callback(png_structp png, png_bytep data, size_t length) {
    mfad_png_buffer *buffer = (mfad_png_buffer *)png_get_io_ptr(png);
    if (length > SIZE_MAX - buffer->length) {
        png_error(png, "PNG larger than memory");
    }
    size_t needed = buffer->length + length;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity > 0 ? buffer->capacity : 4096;
        while (capacity < needed) {
            capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        }
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (grown == NULL) {
            png_error(png, "out of memory while writing the PNG");
        }
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, data, length);
    buffer->length = needed;
}

static inline void mfad_png_flush_callback(png_structp png) {
    (void)png;
}

// libpng error callback: keeps the message, then returns to the setjmp in mfad_png_write_gray.
static inline void mfad_png_error_callback(png_structp png, png_const_charp message) {
    mfad_png_buffer *buffer = (mfad_png_buffer *)png_get_error_ptr(png);
    if (buffer != NULL && message != NULL) {
        strncpy(buffer->error_message, message, sizeof buffer->error_message - 1);
        buffer->error_message[sizeof buffer->error_message - 1] = '\0';
    }
    png_longjmp(png, 1);
}

// Warnings are not errors and must not reach stderr of a server.
static inline void mfad_png_warning_callback(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

/// Writes a non-interlaced grayscale PNG of `height` rows of `row_bytes` bytes each (packed as
/// libpng expects for `bit_depth`: 1 = eight pixels a byte, most significant bit first, 1 is
/// white; 8 = one byte a pixel, 255 is white) into `out`, which must start zeroed.
/// Returns 0 on success; -1 on failure, with `out->data` freed and `out->error_message` set.
static inline int mfad_png_write_gray(const unsigned char *rows, uint32_t width, uint32_t height,
                                      size_t row_bytes, int bit_depth, mfad_png_buffer *out) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, out,
                                              mfad_png_error_callback, mfad_png_warning_callback);
    if (png == NULL) {
        strncpy(out->error_message, "png_create_write_struct failed", sizeof out->error_message - 1);
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        strncpy(out->error_message, "png_create_info_struct failed", sizeof out->error_message - 1);
        return -1;
    }
    // png and info are not modified after setjmp, so they need not be volatile.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        mfad_png_buffer_free(out);
        return -1;
    }
    png_set_write_fn(png, out, mfad_png_write_callback, mfad_png_flush_callback);
    png_set_IHDR(png, info, width, height, bit_depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 9);
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rows + (size_t)y * row_bytes));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

#endif
