#include "detectionworker.h"

#include "server/analysis/facedetector.h"
#include "server/analysis/peopledetector.h"
#include "server/core/logging.h"

#include <chrono>
#include <exception>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace mmv::analysis {

namespace {

struct Job
{
    qint64 frame = 0;
    double time = 0;
    int width = 0;
    int height = 0;
    std::vector<quint8> pixels; ///< packed BGR rows
};

} // namespace

struct DetectionWorker::Private
{
    void run();

    std::optional<FaceDetector> faces;
    std::optional<PeopleDetector> people;
    QString error;
    size_t capacity = 4;

    std::thread thread;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::deque<Job> jobs;
    std::vector<DetectionResult> results;
    bool stopping = false;
    qint64 submitted = 0;
    qint64 completed = 0;
    double busy = 0;
};

DetectionWorker::DetectionWorker(bool faces, bool people, int queueCapacity)
    : d(std::make_unique<Private>())
{
    d->capacity = size_t(std::max(1, queueCapacity));
    if (faces) {
        FaceDetector detector;
        if (detector.isReady()) {
            d->faces.emplace(std::move(detector));
        } else {
            d->error = QStringLiteral("face detection unavailable: %1").arg(detector.errorString());
            qCWarning(lcAnalysis) << d->error;
        }
    }
    if (people)
        d->people.emplace();
    if (d->faces || d->people)
        d->thread = std::thread([this] { d->run(); });
}

DetectionWorker::~DetectionWorker()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        d->jobs.clear();
        d->changed.notify_all();
    }
    if (d->thread.joinable())
        d->thread.join();
}

bool DetectionWorker::detectsFaces() const
{
    return d->faces.has_value();
}

bool DetectionWorker::detectsPeople() const
{
    return d->people.has_value();
}

QString DetectionWorker::errorString() const
{
    return d->error;
}

void DetectionWorker::Private::run()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [this] { return stopping || !jobs.empty(); });
            if (stopping)
                return;
            job = std::move(jobs.front());
            jobs.pop_front();
        }
        const auto started = std::chrono::steady_clock::now();
        const FrameView view{ job.pixels.data(), job.width, job.height, job.width * 3, job.time };
        DetectionResult result;
        result.frame = job.frame;
        result.time = job.time;
        // An exception must not end the thread (and the process): a frame the detectors
        // choke on only loses its detections.
        try {
            if (faces)
                result.faces = faces->detect(view);
            if (people)
                result.people = people->detect(view);
        } catch (const std::exception &e) {
            qCWarning(lcAnalysis) << "detection failed at" << job.time << "s:" << e.what();
        }
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::lock_guard lock(mutex);
        busy += seconds;
        results.push_back(std::move(result));
        ++completed;
        changed.notify_all();
    }
}

bool DetectionWorker::submit(qint64 frame, const FrameView &view, const CancelCheck &cancelled)
{
    if (!d->thread.joinable())
        return true;
    Job job;
    job.frame = frame;
    job.time = view.time;
    job.width = view.width;
    job.height = view.height;
    const size_t rowBytes = size_t(view.width) * 3;
    job.pixels.resize(rowBytes * size_t(view.height));
    for (int y = 0; y < view.height; ++y) {
        std::copy_n(view.data + size_t(y) * size_t(view.stride), rowBytes,
                    job.pixels.data() + size_t(y) * rowBytes);
    }
    std::unique_lock lock(d->mutex);
    // Waiting in slices keeps cancellation prompt while the detectors work through the queue.
    while (d->jobs.size() >= d->capacity) {
        d->changed.wait_for(lock, std::chrono::milliseconds(50));
        if (d->jobs.size() >= d->capacity && cancelled && cancelled())
            return false;
    }
    d->jobs.push_back(std::move(job));
    ++d->submitted;
    d->changed.notify_all();
    return true;
}

std::vector<DetectionResult> DetectionWorker::takeResults()
{
    std::lock_guard lock(d->mutex);
    std::vector<DetectionResult> results;
    results.swap(d->results);
    return results;
}

void DetectionWorker::waitForResult(int timeoutMs)
{
    std::unique_lock lock(d->mutex);
    d->changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] {
        return !d->results.empty() || d->completed == d->submitted;
    });
}

qint64 DetectionWorker::submitted() const
{
    std::lock_guard lock(d->mutex);
    return d->submitted;
}

qint64 DetectionWorker::completed() const
{
    std::lock_guard lock(d->mutex);
    return d->completed;
}

double DetectionWorker::busySeconds() const
{
    std::lock_guard lock(d->mutex);
    return d->busy;
}

} // namespace mmv::analysis
