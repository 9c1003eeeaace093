#include "outlinebuilder.h"

#include <QMap>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace mmv::analysis {

namespace {

/// Histogram intersection above which two shots look like the same scene.
constexpr double kSameScene = 0.5;
/// How many of the segment's last shots a new shot is compared with.
constexpr int kLookBack = 3;
/// Shots this short continue the scene whatever they look like (inserts, flashes).
constexpr double kInsertSeconds = 0.5;

double rounded(double value)
{
    return std::round(value * 1000) / 1000;
}

QString counted(int count, const QString &one, const QString &many)
{
    return count == 1 ? QStringLiteral("1 ") + one : QStringLiteral("%1 %2").arg(count).arg(many);
}

} // namespace

bool OutlineBuilder::continues(const OutlineShot &shot) const
{
    if (!m_open || shot.transition == QLatin1String("fade"))
        return false;
    if (shot.end - shot.start < kInsertSeconds)
        return true;
    const std::vector<OutlineShot> &shots = m_open->shots;
    const size_t from = shots.size() > size_t(kLookBack) ? shots.size() - kLookBack : 0;
    for (size_t i = from; i < shots.size(); ++i) {
        if (ColorStats::similarity(shots[i].histogram, shot.histogram) >= kSameScene)
            return true;
    }
    return false;
}

std::optional<QJsonObject> OutlineBuilder::addShot(const OutlineShot &shot)
{
    std::optional<QJsonObject> closed;
    if (m_open && !continues(shot)) {
        closed = toJson(*m_open);
        m_closed.append(*closed);
        m_open.reset();
    }
    if (!m_open) {
        m_open = Segment{};
        m_open->index = int(m_closed.size());
    }
    m_open->shots.push_back(shot);
    return closed;
}

std::optional<QJsonObject> OutlineBuilder::finish()
{
    if (!m_open)
        return std::nullopt;
    const QJsonObject closed = toJson(*m_open);
    m_closed.append(closed);
    m_open.reset();
    return closed;
}

QJsonArray OutlineBuilder::segments() const
{
    QJsonArray all = m_closed;
    if (m_open)
        all.append(toJson(*m_open));
    return all;
}

int OutlineBuilder::segmentCount() const
{
    return int(m_closed.size()) + (m_open ? 1 : 0);
}

QJsonObject OutlineBuilder::toJson(const Segment &segment)
{
    const OutlineShot &first = segment.shots.front();
    const OutlineShot &last = segment.shots.back();
    const auto longest = std::max_element(segment.shots.begin(), segment.shots.end(),
                                          [](const OutlineShot &a, const OutlineShot &b) {
                                              return a.end - a.start < b.end - b.start;
                                          });
    return QJsonObject{ { QStringLiteral("index"), segment.index },
                        { QStringLiteral("start"), rounded(first.start) },
                        { QStringLiteral("end"), rounded(last.end) },
                        { QStringLiteral("title"), title(segment.shots) },
                        { QStringLiteral("keyframe"), longest->keyframe } };
}

QString OutlineBuilder::title(const std::vector<OutlineShot> &shots)
{
    if (shots.empty())
        return QString();
    double duration = 0;
    double brightness = 0;
    double motion = 0;
    int people = -1;
    int faces = -1;
    QMap<QString, double> colourWeight;
    for (const OutlineShot &shot : shots) {
        const double d = std::max(1e-3, shot.end - shot.start);
        duration += d;
        brightness += shot.brightness * d;
        motion += shot.motion * d;
        people = std::max(people, shot.people);
        faces = std::max(faces, shot.faces);
        for (const DominantColor &color : shot.colors)
            colourWeight[ColorStats::name(color)] += color.share * d;
    }
    brightness /= duration;
    motion /= duration;

    QStringList parts;
    if (people > 0)
        parts << counted(people, QStringLiteral("person"), QStringLiteral("people"));
    else if (faces > 0)
        parts << counted(faces, QStringLiteral("face"), QStringLiteral("faces"));

    if (brightness < 0.2)
        parts << QStringLiteral("dark");
    else if (brightness < 0.35)
        parts << QStringLiteral("dim");
    else if (brightness > 0.6)
        parts << QStringLiteral("bright");

    if (motion < 0.1)
        parts << QStringLiteral("static");
    else if (motion < 0.3)
        parts << QStringLiteral("low motion");
    else if (motion < 0.6)
        parts << QStringLiteral("moderate motion");
    else
        parts << QStringLiteral("high motion");

    QString colour;
    double colourShare = 0;
    for (auto it = colourWeight.cbegin(); it != colourWeight.cend(); ++it) {
        const bool neutral = it.key().contains(QLatin1String("grey"))
            || it.key() == QLatin1String("black") || it.key() == QLatin1String("white");
        if (!neutral && it.value() / duration > colourShare) {
            colourShare = it.value() / duration;
            colour = it.key();
        }
    }
    if (colourShare >= 0.3)
        parts << colour + QStringLiteral(" tones");

    if (shots.size() > 1)
        parts << counted(int(shots.size()), QStringLiteral("shot"), QStringLiteral("shots"));
    return parts.join(QStringLiteral(", "));
}

} // namespace mmv::analysis
