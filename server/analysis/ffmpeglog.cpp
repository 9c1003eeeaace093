#include "ffmpeglog.h"

#include "server/core/logging.h"

#include <QAtomicInteger>
#include <QElapsedTimer>
#include <QMutex>

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <cstdio>
#include <mutex>

namespace mmv::analysis {

namespace {

void forward(void *context, int level, const char *format, va_list arguments)
{
    if (level > AV_LOG_ERROR)
        return;
    // At most a few messages a second: a damaged file can make the decoder complain for
    // every frame.
    static QMutex mutex;
    static QElapsedTimer window;
    static int inWindow = 0;
    {
        QMutexLocker lock(&mutex);
        if (!window.isValid() || window.elapsed() > 1000) {
            window.restart();
            inWindow = 0;
        }
        if (++inWindow > 5)
            return;
    }
    char line[512];
    int prefix = 1;
    av_log_format_line2(context, level, format, arguments, line, int(sizeof line), &prefix);
    QString text = QString::fromUtf8(line).trimmed();
    if (!text.isEmpty())
        qCWarning(lcAnalysis).noquote() << "ffmpeg:" << text;
}

} // namespace

void installFfmpegLogging()
{
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_ERROR);
        av_log_set_callback(forward);
    });
}

QString avError(int code)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

} // namespace mmv::analysis
