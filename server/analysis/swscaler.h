#pragma once

extern "C" {
#include <libavutil/pixfmt.h>
}

struct SwsContext;

namespace mmv::analysis {

/// The colours of one side of a conversion: JPEG's full range or video's limited range, and
/// where that side is YUV, its matrix (an SWS_CS_* value).
struct ScalerSide
{
    bool fullRange = false;
    int matrix = 0; ///< SWS_CS_DEFAULT (BT.601)
};

/// The SWS_CS_* matrix of a picture's colour space: BT.709, BT.2020, SMPTE 240M and FCC as
/// tagged; BT.601 otherwise (swscale's default, and what untagged video gets).
int swsMatrix(AVColorSpace colorSpace);

/// The luma weights of that matrix, for code that converts by itself (PointSampler), so that
/// it reads a picture as swscale does.
struct LumaWeights
{
    double kr = 0.299;
    double kb = 0.114;
};
LumaWeights lumaWeights(AVColorSpace colorSpace);

/// `format` without the J of the deprecated full-range YUVJ formats; sets `fullRange` for those
/// (swscale and PointSampler read them as their plain twins in full range).
AVPixelFormat withoutJ(AVPixelFormat format, bool &fullRange);

/// A swscale context for these sizes, formats, colours and flags: `cached` if it is one, else
/// a new one (and `cached` freed); null on failure. The ranges are set before the context is
/// initialised: told afterwards, a context that swscale made a same-size YUV copy keeps
/// limited-range video as it is in a picture meant for JPEG's full range (the keyframes of
/// videos up to 640 px wide were grey-black), and one from BGR to YUV wrote limited range.
SwsContext *cachedScaler(SwsContext *cached, int srcWidth, int srcHeight, AVPixelFormat srcFormat,
                         const ScalerSide &src, int dstWidth, int dstHeight,
                         AVPixelFormat dstFormat, const ScalerSide &dst, int flags);

} // namespace mmv::analysis
