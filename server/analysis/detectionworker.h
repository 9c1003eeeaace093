#pragma once

#include "server/analysis/analysistypes.h"
#include "server/analysis/facedetector.h"
#include "server/analysis/framesource.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace mmv::analysis {

/// The faces and people found in one sampled frame.
struct DetectionResult
{
    qint64 frame = 0;
    double time = 0;
    QList<Box> faces;
    QList<Box> people;
};

/// Runs FaceDetector and PeopleDetector on sampled frames in threads of their own, off the
/// decoding path, and hands the results back in submission order.
///
/// One thread per kind (faces, people), each with its own detector, takes every sample in
/// order: the two kinds of one sample run in parallel, and each thread knows what its kind
/// found in the sample before. That makes a schedule possible, per kind: some samples are
/// searched whole (detect()), the ones between only around what the previous sample found
/// (detectNear()), which keeps the tracks going at a fraction of the cost. A whole search comes
/// every `fullScanEvery` samples while whole searches keep finding faces or people the sample
/// before did not have; while they find nothing new (an empty scene, the same two faces) the
/// interval doubles up to 3 x fullScanEvery (3 s at the defaults); the first sample and the
/// first after a likely cut are always searched whole. Something new far from earlier
/// detections is found at the next whole search, at most 3 x fullScanEvery - 1 samples late.
/// 1 searches every sample whole. Profile faces cost as much as frontal ones: in those quiet
/// stretches, while no face is found at all, every other whole search looks for frontal faces
/// only.
///
/// The queue is bounded: submit() waits when the detectors fall behind, which keeps memory flat
/// and lets the decoding slow down to their pace.
///
/// Each thread loads its own detector (the cascades take ~20 ms to parse), so that decoding
/// starts meanwhile; detectsFaces(), detectsPeople() and errorString() wait for the loading.
/// A sample holds the decoded picture by reference and is scaled in the detector threads, once,
/// and only if a search needs it (between whole searches of an empty scene none does). With the
/// queue full and both threads busy that is about six decoded pictures held (some 70 MB at 4K).
class DetectionWorker
{
public:
    using CancelCheck = std::function<bool()>;

    DetectionWorker(bool faces, bool people, int fullScanEvery = 1, int queueCapacity = 4,
                    const FaceDetectorOptions &faceOptions = {});
    ~DetectionWorker();
    DetectionWorker(const DetectionWorker &) = delete;
    DetectionWorker &operator=(const DetectionWorker &) = delete;

    /// Whether any detector thread runs: none when the process could not start them (then
    /// errorString() says so and submit() only discards), and the caller had better go on
    /// without detection.
    bool isRunning() const;
    bool detectsFaces() const;
    bool detectsPeople() const;
    /// Why a detector is missing (e.g. a cascade file not found), empty when none is.
    QString errorString() const;

    /// Queues the picture of frame `frame` at `time`, to be searched at `width` pixels (never
    /// upscaled); false when `cancelled` turned true while waiting. `sceneChanged`: the picture
    /// may have changed completely since the previous sample (a cut), so the sample is searched
    /// whole.
    bool submit(qint64 frame, double time, const Picture &picture, int width, bool sceneChanged,
                const CancelCheck &cancelled);
    /// Results finished since the last call, in submission order.
    std::vector<DetectionResult> takeResults();
    /// Blocks until a result is ready, every frame is done, or `timeoutMs` passed.
    void waitForResult(int timeoutMs);

    qint64 completed() const;
    /// Seconds the detectors spent working (the threads' sum).
    double busySeconds() const;
    /// Whole searches so far, over both kinds (a sample searched whole for faces and for
    /// people counts twice).
    qint64 fullScans() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
