#pragma once

#include "server/analysis/colorstats.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace mmv::analysis {

/// What the outline needs to know of a finished shot.
struct OutlineShot
{
    int index = 0;
    double start = 0;
    double end = 0;
    int keyframe = -1;
    QString transition; ///< how the shot began: "start", "cut", "fade", "dissolve"
    std::array<float, ColorStats::kCoarseBins> histogram{};
    QList<DominantColor> colors;
    double brightness = 0; ///< 0..1
    double motion = 0; ///< intensity 0..1
    int people = -1; ///< most people seen at once; -1 when not looked for
    int faces = -1;
};

/// Groups shots into segments by similarity and continuity, as the shots arrive.
///
/// A shot continues the open segment when its colours are close to one of the segment's last
/// few shots (so a dialogue cutting back and forth stays one segment) and it did not begin
/// with a fade, which editors use between scenes. Each segment gets a title built from what
/// was found in it: people or faces, light, motion and colour, e.g.
/// "2 people, bright, high motion".
///
/// Segments are {index, start, end, title, keyframe} with the keyframe of the segment's most
/// representative (longest) shot.
class OutlineBuilder
{
public:
    /// Adds the next shot; answers the segment it closed, if any.
    std::optional<QJsonObject> addShot(const OutlineShot &shot);
    /// Closes the open segment and answers it (none when there were no shots).
    std::optional<QJsonObject> finish();

    /// The closed segments and the open one so far.
    QJsonArray segments() const;
    int segmentCount() const;

    /// The title of a group of shots.
    static QString title(const std::vector<OutlineShot> &shots);

private:
    struct Segment
    {
        int index = 0;
        std::vector<OutlineShot> shots;
    };
    static QJsonObject toJson(const Segment &segment);
    bool continues(const OutlineShot &shot) const;

    QJsonArray m_closed;
    std::optional<Segment> m_open;
};

} // namespace mmv::analysis
