#include "server/analysis/trackbuilder.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace mmv::analysis {

namespace {

double rounded(double value, double scale)
{
    return std::round(value * scale) / scale;
}

double coordinate(double value)
{
    return rounded(value, 1e4);
}

double seconds(double value)
{
    return rounded(value, 1e3);
}

double intersectionOverUnion(const Box &a, const Box &b)
{
    const double w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
    const double h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
    if (w <= 0 || h <= 0)
        return 0;
    const double inter = w * h;
    return inter / (a.w * a.h + b.w * b.h - inter);
}

} // namespace

TrackBuilder::TrackBuilder(const TrackBuilderOptions &options)
    : m_options(options)
{ }

void TrackBuilder::reset()
{
    m_tracks.clear();
    m_sampleCount = 0;
}

// > 0 when `box` may continue `track` at `time` (higher is better), < 0 when it may not.
double TrackBuilder::matchScore(const Track &track, double time, const Box &box) const
{
    const Observation &last = track.observations.back();
    const auto similarity = [this, &box](const Box &reference) {
        const double widthRatio = std::max(box.w, reference.w) / std::min(box.w, reference.w);
        const double heightRatio = std::max(box.h, reference.h) / std::min(box.h, reference.h);
        if (widthRatio > m_options.maxSizeRatio || heightRatio > m_options.maxSizeRatio)
            return -1.0;
        // Centre distance in box sizes, so that it means the same for a face and a crowd.
        const double dx
            = (box.x + box.w / 2 - reference.x - reference.w / 2) / ((box.w + reference.w) / 2);
        const double dy
            = (box.y + box.h / 2 - reference.y - reference.h / 2) / ((box.h + reference.h) / 2);
        const double distance = std::hypot(dx, dy);
        const double iou = intersectionOverUnion(box, reference);
        if (iou < m_options.minIou && distance > m_options.maxCentreDistance)
            return -1.0;
        return iou + std::max(0.0, 1.0 - distance / m_options.maxCentreDistance);
    };

    double best = similarity(last.box);
    if (track.observations.size() >= 2) {
        // Constant-velocity prediction, for people crossing the frame between two samples.
        const Observation &previous = track.observations[track.observations.size() - 2];
        const double dt = last.time - previous.time;
        if (dt > 0) {
            const double ahead = (time - last.time) / dt;
            Box predicted = last.box;
            predicted.x += (last.box.x - previous.box.x) * ahead;
            predicted.y += (last.box.y - previous.box.y) * ahead;
            best = std::max(best, similarity(predicted));
        }
    }
    return best;
}

void TrackBuilder::add(double time, const QList<Box> &boxes)
{
    const int sample = m_sampleCount++;

    std::vector<Box> valid;
    for (const Box &box : boxes) {
        if (box.w > 0 && box.h > 0)
            valid.push_back(box);
    }

    // Every (track, box) pair that may match, best first; taken greedily one to one.
    std::vector<std::tuple<double, size_t, size_t>> pairs;
    for (size_t t = 0; t < m_tracks.size(); ++t) {
        const int missed = sample - m_tracks[t].observations.back().sample - 1;
        if (missed > m_options.maxMissedSamples)
            continue;
        for (size_t b = 0; b < valid.size(); ++b) {
            const double score = matchScore(m_tracks[t], time, valid[b]);
            if (score >= 0)
                pairs.emplace_back(score, t, b);
        }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto &a, const auto &b) { return std::get<0>(a) > std::get<0>(b); });

    std::vector<bool> trackTaken(m_tracks.size(), false);
    std::vector<bool> boxTaken(valid.size(), false);
    for (const auto &[score, t, b] : pairs) {
        if (trackTaken[t] || boxTaken[b])
            continue;
        trackTaken[t] = true;
        boxTaken[b] = true;
        m_tracks[t].observations.push_back({ sample, time, valid[b] });
    }
    for (size_t b = 0; b < valid.size(); ++b) {
        if (!boxTaken[b])
            m_tracks.push_back(Track{ { { sample, time, valid[b] } } });
    }
}

std::vector<const TrackBuilder::Track *> TrackBuilder::keptTracks() const
{
    const bool filter = m_sampleCount >= m_options.filterFromSamples;
    std::vector<const Track *> kept;
    for (const Track &track : m_tracks) {
        if (!filter || int(track.observations.size()) >= m_options.minTrackSamples)
            kept.push_back(&track);
    }
    // Tracks are created in sample order already; keep that order stable for equal starts.
    std::stable_sort(kept.begin(), kept.end(), [](const Track *a, const Track *b) {
        return a->observations.front().sample < b->observations.front().sample;
    });
    return kept;
}

QJsonObject TrackBuilder::summary(int shotIndex) const
{
    const std::vector<const Track *> kept = keptTracks();
    std::vector<int> perSample(size_t(m_sampleCount), 0);
    QJsonArray tracks;
    int id = 0;
    for (const Track *track : kept) {
        QJsonArray boxes;
        for (const Observation &o : track->observations) {
            ++perSample[size_t(o.sample)];
            // Clipped to the frame: the detectors clip, but callers may not.
            const double left = std::clamp(o.box.x, 0.0, 1.0);
            const double top = std::clamp(o.box.y, 0.0, 1.0);
            const double right = std::clamp(o.box.x + o.box.w, 0.0, 1.0);
            const double bottom = std::clamp(o.box.y + o.box.h, 0.0, 1.0);
            boxes.append(QJsonObject{ { QStringLiteral("t"), seconds(o.time) },
                                      { QStringLiteral("x"), coordinate(left) },
                                      { QStringLiteral("y"), coordinate(top) },
                                      { QStringLiteral("w"), coordinate(right - left) },
                                      { QStringLiteral("h"), coordinate(bottom - top) } });
        }
        tracks.append(
            QJsonObject{ { QStringLiteral("id"), id++ },
                         { QStringLiteral("start"), seconds(track->observations.front().time) },
                         { QStringLiteral("end"), seconds(track->observations.back().time) },
                         { QStringLiteral("boxes"), boxes } });
    }
    const int maxCount
        = perSample.empty() ? 0 : *std::max_element(perSample.begin(), perSample.end());
    return QJsonObject{ { QStringLiteral("shot"), shotIndex },
                        { QStringLiteral("count"), int(kept.size()) },
                        { QStringLiteral("max_count"), maxCount },
                        { QStringLiteral("tracks"), tracks } };
}

} // namespace mmv::analysis
