#pragma once

// Test clips built with the ffmpeg CLI (scripts/setup.sh installs it), and damaged copies.

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace mmv::testing {

/// Runs `ffmpeg -v error -y arguments...`; false with ffmpeg's own message in `error`.
inline bool runFfmpeg(const QStringList &arguments, QString *error)
{
    QProcess ffmpeg;
    ffmpeg.start(QStringLiteral("ffmpeg"),
                 QStringList{ QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y") }
                     + arguments);
    const bool ran = ffmpeg.waitForFinished(120000) && ffmpeg.exitStatus() == QProcess::NormalExit;
    if (!ran || ffmpeg.exitCode() != 0) {
        // Qt's own error only when ffmpeg did not run to its end (else it is "Unknown error").
        *error = QStringLiteral("ffmpeg failed (install it with scripts/setup.sh): ")
            + QString::fromLocal8Bit(ffmpeg.readAllStandardError())
            + (ran ? QString() : ffmpeg.errorString());
        return false;
    }
    return true;
}

/// Writes the first `share` of the file `from` to `to`.
inline bool copyTruncated(const QString &from, const QString &to, double share)
{
    QFile in(from);
    QFile out(to);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly))
        return false;
    const QByteArray bytes = in.readAll();
    return out.write(bytes.left(qsizetype(bytes.size() * share))) > 0;
}

/// Writes opencv-doc's Megamind.avi with `paddingMiB` MiB appended to `path`: a real video
/// that takes a while to copy (FFmpeg stops reading at the end of its index).
inline bool writeBigVideo(const QString &path, int paddingMiB = 300)
{
    if (!QFile::copy(QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi"), path))
        return false;
    QFile file(path);
    if (!file.open(QIODevice::Append))
        return false;
    const QByteArray block(1 << 20, 'x');
    for (int i = 0; i < paddingMiB; ++i) {
        if (file.write(block) != block.size())
            return false;
    }
    return true;
}

} // namespace mmv::testing
