#pragma once

#include "server/analysis/analysistypes.h"

#include <QJsonObject>
#include <QList>

#include <vector>

namespace mmv::analysis {

/// Tuning of TrackBuilder.
struct TrackBuilderOptions
{
    /// A box continues a track when it overlaps the track's last or predicted box by at least
    /// this IoU...
    double minIou = 0.2;
    /// ...or when its centre is within this many box sizes of it (box widths across, box
    /// heights up and down): someone walking across the frame moves ~1.4 body widths between
    /// two samples at 2 per second.
    double maxCentreDistance = 1.5;
    /// ...and when neither box is more than this many times larger (in width and in height).
    double maxSizeRatio = 2.0;
    /// Samples a track may miss and still be continued (the detectors miss a sample now and
    /// then, people pass behind others).
    int maxMissedSamples = 1;
    /// In shots with at least `filterFromSamples` samples, tracks seen in fewer samples than
    /// this are flickers and are dropped. Shorter shots keep every track: one sample can be all
    /// there is.
    int minTrackSamples = 2;
    int filterFromSamples = 3;
};

/// Merges the detections of one shot's sampled frames (faces or people) into tracks.
///
/// add() takes each sample's boxes in time order; each box continues the active track it
/// matches best (greedy, one box per track, matched against the last box and the box predicted
/// from the track's velocity), else starts a new track. summary() answers the "faces" /
/// "people" result data:
///
///     {shot, count, max_count, tracks: [{id, start, end, boxes: [{t, x, y, w, h}]}]}
///
/// where count is the number of tracks kept, max_count the most boxes of kept tracks in one
/// sample, ids number the kept tracks 0.. in order of start, times are seconds rounded to the
/// millisecond and x, y, w, h normalised boxes rounded to 4 decimals. reset() starts a new shot.
///
/// A value type with no locking: use an instance from one thread at a time.
class TrackBuilder
{
public:
    explicit TrackBuilder(const TrackBuilderOptions &options = {});

    void add(double time, const QList<Box> &boxes);
    QJsonObject summary(int shotIndex) const;
    void reset();

    /// Samples added since the last reset().
    int sampleCount() const { return m_sampleCount; }

private:
    struct Observation
    {
        int sample = 0;
        double time = 0;
        Box box;
    };
    struct Track
    {
        std::vector<Observation> observations;
    };

    double matchScore(const Track &track, double time, const Box &box) const;
    std::vector<const Track *> keptTracks() const;

    TrackBuilderOptions m_options;
    std::vector<Track> m_tracks;
    int m_sampleCount = 0;
};

} // namespace mmv::analysis
