#include "detectionworker.h"

#include "server/analysis/facedetector.h"
#include "server/analysis/peopledetector.h"
#include "server/core/logging.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace mmv::analysis {

namespace {

struct Job
{
    qint64 sequence = 0;
    qint64 frame = 0;
    double time = 0;
    int width = 0;
    int height = 0;
    std::vector<quint8> pixels; ///< packed BGR rows
};

/// One thread's own detectors: they keep scratch buffers and are not shared.
struct Detectors
{
    std::optional<FaceDetector> faces;
    std::optional<PeopleDetector> people;
};

} // namespace

struct DetectionWorker::Private
{
    void run(Detectors &detectors);

    bool faces = false;
    bool people = false;
    QString error;
    size_t capacity = 4;

    std::vector<Detectors> detectors;
    std::vector<std::thread> threads;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::deque<Job> jobs;
    std::map<qint64, DetectionResult> done; ///< finished, by sequence, not yet in order
    std::vector<DetectionResult> results; ///< finished and in order
    bool stopping = false;
    qint64 submitted = 0;
    qint64 completed = 0;
    double busy = 0;
};

DetectionWorker::DetectionWorker(bool faces, bool people, int threads, int queueCapacity)
    : d(std::make_unique<Private>())
{
    d->capacity = size_t(std::max(1, queueCapacity));
    const int count = std::max(1, threads);
    d->detectors.resize(size_t(count));
    for (Detectors &set : d->detectors) {
        if (faces && d->error.isEmpty()) {
            FaceDetector detector;
            if (detector.isReady()) {
                set.faces.emplace(std::move(detector));
            } else {
                d->error
                    = QStringLiteral("face detection unavailable: %1").arg(detector.errorString());
                qCWarning(lcAnalysis) << d->error;
            }
        }
        if (people)
            set.people.emplace();
    }
    d->faces = d->detectors.front().faces.has_value();
    d->people = d->detectors.front().people.has_value();
    if (!d->faces && !d->people)
        return;
    for (Detectors &set : d->detectors)
        d->threads.emplace_back([this, &set] { d->run(set); });
}

DetectionWorker::~DetectionWorker()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        d->jobs.clear();
        d->changed.notify_all();
    }
    for (std::thread &thread : d->threads)
        thread.join();
}

bool DetectionWorker::detectsFaces() const
{
    return d->faces;
}

bool DetectionWorker::detectsPeople() const
{
    return d->people;
}

QString DetectionWorker::errorString() const
{
    return d->error;
}

void DetectionWorker::Private::run(Detectors &mine)
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
            changed.notify_all(); // room in the queue
        }
        const auto started = std::chrono::steady_clock::now();
        const FrameView view{ job.pixels.data(), job.width, job.height, job.width * 3, job.time };
        DetectionResult result;
        result.frame = job.frame;
        result.time = job.time;
        // An exception must not end the thread (and the process): a frame the detectors
        // choke on only loses its detections.
        try {
            if (faces && mine.faces)
                result.faces = mine.faces->detect(view);
            if (people && mine.people)
                result.people = mine.people->detect(view);
        } catch (const std::exception &e) {
            qCWarning(lcAnalysis) << "detection failed at" << job.time << "s:" << e.what();
        }
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::lock_guard lock(mutex);
        busy += seconds;
        done.emplace(job.sequence, std::move(result));
        // Hand results over in submission order, whichever thread finished first.
        for (auto it = done.begin(); it != done.end() && it->first == completed;
             it = done.erase(it)) {
            results.push_back(std::move(it->second));
            ++completed;
        }
        changed.notify_all();
    }
}

bool DetectionWorker::submit(qint64 frame, const FrameView &view, const CancelCheck &cancelled)
{
    if (d->threads.empty())
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
    job.sequence = d->submitted++;
    d->jobs.push_back(std::move(job));
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
    d->changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                        [this] { return !d->results.empty() || d->completed == d->submitted; });
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
