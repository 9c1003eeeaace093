#pragma once

#include <QtGlobal>

#include <vector>

struct AVFrame;

namespace mmv::analysis {

/// Samples a decoded picture down to a small packed BGR image by taking, for each output
/// pixel, the source pixel at its centre (a point filter, like swscale's SWS_POINT, which the
/// analysis frame used before: it only feeds averages over blocks of itself).
///
/// Made for the analysis frame every decoded picture is reduced to: it reads only the bytes it
/// keeps, converts YUV with 16-bit fixed point eight pixels at a time, and costs about a fifth
/// of swscale (whose point filter still runs its whole per-line pipeline) and a tenth of
/// cv::resize on packed RGB (tree.avi's cinepak).
///
/// Reads 8-bit planar YUV (any chroma subsampling up to 4:1, limited or full range, BT.601,
/// BT.709 or BT.2020 matrix as the frame says; unspecified means BT.601, swscale's default)
/// and 8-bit packed RGB with or without a fourth byte. Anything else: sample() answers false
/// and the caller converts another way.
class PointSampler
{
public:
    /// Whether sample() reads pictures of this AVPixelFormat.
    static bool supports(int pixelFormat);

    /// Writes `width` x `height` BGR pixels, rows `dstStride` bytes apart, at `dst`. Sizes
    /// above the source's are sampled all the same (pixels repeat). False when the format is
    /// not supported or a size is not positive.
    bool sample(const AVFrame *frame, int width, int height, quint8 *dst, int dstStride);

private:
    /// The tables for this format and these sizes, made when they change; false when the
    /// format is not supported.
    bool prepare(const AVFrame *frame, int width, int height);
    void sampleYuv(const AVFrame *frame, quint8 *dst, int dstStride);
    void sampleRgb(const AVFrame *frame, quint8 *dst, int dstStride);

    int m_format = -1;
    bool m_supported = false;
    bool m_rgb = false; ///< packed RGB, else planar YUV
    int m_chromaShift = 0; ///< log2 of the vertical chroma subsampling
    int m_offsets[3] = {}; ///< packed RGB: the bytes of R, G and B in a pixel
    int m_sourceWidth = 0;
    int m_sourceHeight = 0;
    int m_width = 0;
    int m_height = 0;
    std::vector<int> m_columns; ///< byte offset in a source row of plane 0, per output column
    std::vector<int> m_chromaColumns; ///< the same in the chroma planes
    std::vector<int> m_rows; ///< source row per output row
    int m_lumaSpan = 0; ///< bytes of a row of plane 0 that are read
    int m_chromaSpan = 0;
    std::vector<quint8> m_y; ///< one output row gathered: luma...
    std::vector<quint8> m_u; ///< ... and chroma, per output pixel
    std::vector<quint8> m_v;
};

} // namespace mmv::analysis
