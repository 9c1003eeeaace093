#pragma once

#include "server/analysis/analysistypes.h"

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
/// decoding path, and hands the results back in submission order. Each thread has its own
/// detectors (they keep scratch buffers). Two threads rather than one because OpenCV's own
/// parallel loops inside a detection kept only about 1.3 of 2 cores busy. The queue is
/// bounded: submit() waits when the detectors fall behind, which keeps memory flat and lets
/// the decoding slow down to their pace.
class DetectionWorker
{
public:
    using CancelCheck = std::function<bool()>;

    DetectionWorker(bool faces, bool people, int threads = 2, int queueCapacity = 4);
    ~DetectionWorker();
    DetectionWorker(const DetectionWorker &) = delete;
    DetectionWorker &operator=(const DetectionWorker &) = delete;

    bool detectsFaces() const;
    bool detectsPeople() const;
    /// Why a detector is missing (e.g. a cascade file not found), empty when none is.
    QString errorString() const;

    /// Copies the frame into the queue; false when `cancelled` turned true while waiting.
    bool submit(qint64 frame, const FrameView &view, const CancelCheck &cancelled);
    /// Results finished since the last call, in submission order.
    std::vector<DetectionResult> takeResults();
    /// Blocks until a result is ready, every frame is done, or `timeoutMs` passed.
    void waitForResult(int timeoutMs);

    qint64 submitted() const;
    qint64 completed() const;
    /// Seconds the detectors spent working.
    double busySeconds() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mmv::analysis
