#include "detectionworker.h"

#include "server/analysis/facedetector.h"
#include "server/analysis/peopledetector.h"
#include "server/core/logging.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace mmv::analysis {

namespace {

/// One sampled frame, shared by the threads of both kinds.
struct Job
{
    qint64 sequence = 0;
    qint64 frame = 0;
    double time = 0;
    bool sceneChanged = false; ///< a likely cut since the previous sample
    int width = 0;
    int height = 0;
    std::vector<quint8> pixels; ///< packed BGR rows
};

enum class Kind { Faces, People };

/// One thread's detector and what it found in the previous sample.
struct Lane
{
    Kind kind = Kind::Faces;
    std::optional<FaceDetector> faces;
    std::optional<PeopleDetector> people;
    std::deque<std::shared_ptr<const Job>> jobs;
    QList<Box> previous; ///< what the previous sample found
    QList<Box> older; ///< what the sample before that found
    int sinceFullScan = 0; ///< samples since the last whole search
    int interval = 1; ///< samples between whole searches, now
    bool profilesSkipped = false; ///< the last whole search looked for frontal faces only
};

/// Whether `box` is none of `known`: it overlaps none of them and lies more than its own size
/// from each.
bool isNew(const Box &box, const QList<Box> &known)
{
    return std::none_of(known.begin(), known.end(), [&box](const Box &other) {
        const double cx = box.x + box.w / 2 - (other.x + other.w / 2);
        const double cy = box.y + box.h / 2 - (other.y + other.h / 2);
        return std::abs(cx) < std::max(box.w, other.w) && std::abs(cy) < std::max(box.h, other.h);
    });
}

/// In quiet stretches whole searches come every kQuietFactor x fullScanEvery samples.
constexpr int kQuietFactor = 3;

struct Pending
{
    DetectionResult result;
    int remaining = 0; ///< lanes still working on it
};

} // namespace

struct DetectionWorker::Private
{
    void run(Lane &lane);
    bool full() const;

    bool faces = false;
    bool people = false;
    QString error;
    size_t capacity = 4;
    int fullScanEvery = 1;

    std::vector<std::unique_ptr<Lane>> lanes;
    std::vector<std::thread> threads;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::map<qint64, Pending> pending; ///< submitted, not yet handed over, by sequence
    std::vector<DetectionResult> results; ///< finished and in order
    bool stopping = false;
    qint64 submitted = 0;
    qint64 completed = 0;
    qint64 fullScans = 0;
    double busy = 0;
};

DetectionWorker::DetectionWorker(bool faces, bool people, int fullScanEvery, int queueCapacity)
    : d(std::make_unique<Private>())
{
    d->capacity = size_t(std::max(1, queueCapacity));
    d->fullScanEvery = std::max(1, fullScanEvery);
    if (faces) {
        FaceDetector detector;
        if (detector.isReady()) {
            auto lane = std::make_unique<Lane>();
            lane->kind = Kind::Faces;
            lane->faces.emplace(std::move(detector));
            d->lanes.push_back(std::move(lane));
            d->faces = true;
        } else {
            d->error = QStringLiteral("face detection unavailable: %1").arg(detector.errorString());
            qCWarning(lcAnalysis) << d->error;
        }
    }
    if (people) {
        auto lane = std::make_unique<Lane>();
        lane->kind = Kind::People;
        lane->people.emplace();
        d->lanes.push_back(std::move(lane));
        d->people = true;
    }
    for (const std::unique_ptr<Lane> &lane : d->lanes)
        lane->interval = d->fullScanEvery;
    for (const std::unique_ptr<Lane> &lane : d->lanes)
        d->threads.emplace_back([this, &lane = *lane] { d->run(lane); });
}

DetectionWorker::~DetectionWorker()
{
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
        for (const std::unique_ptr<Lane> &lane : d->lanes)
            lane->jobs.clear();
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

bool DetectionWorker::Private::full() const
{
    return std::any_of(lanes.begin(), lanes.end(), [this](const std::unique_ptr<Lane> &lane) {
        return lane->jobs.size() >= capacity;
    });
}

void DetectionWorker::Private::run(Lane &lane)
{
    for (;;) {
        std::shared_ptr<const Job> job;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [this, &lane] { return stopping || !lane.jobs.empty(); });
            if (stopping)
                return;
            job = lane.jobs.front();
            lane.jobs.pop_front();
            changed.notify_all(); // room in the queue
        }
        const auto started = std::chrono::steady_clock::now();
        const FrameView view{ job->pixels.data(), job->width, job->height, job->width * 3,
                              job->time };
        // The schedule (see the class comment): whole searches every `interval` samples; the
        // interval doubles, up to kQuietFactor x fullScanEvery, while whole searches find nothing
        // that the sample before did not have, and drops back when they do or after a cut.
        const bool fullScan
            = job->sequence == 0 || job->sceneChanged || lane.sinceFullScan + 1 >= lane.interval;
        // Around the last two samples' boxes: a face turning or a person passing behind
        // another, missed once, is looked for again.
        QList<Box> near = lane.previous;
        for (const Box &box : std::as_const(lane.older)) {
            if (isNew(box, near))
                near.append(box);
        }
        // Profile faces cost as much as frontal ones. In quiet stretches (whole searches at
        // their longest interval because they find nothing new) every other whole search
        // looks for frontal faces only; the first, the first after a cut and those while new
        // faces or people appear look for both.
        const bool profiles = !fullScan || job->sequence == 0 || job->sceneChanged
            || lane.interval <= fullScanEvery || lane.profilesSkipped;
        QList<Box> found;
        // An exception must not end the thread (and the process): a frame the detectors
        // choke on only loses its detections.
        try {
            if (lane.faces) {
                found = fullScan ? lane.faces->detect(view, profiles)
                                 : lane.faces->detectNear(view, near);
                if (fullScan)
                    lane.profilesSkipped = !profiles;
            } else if (lane.people) {
                found = fullScan ? lane.people->detect(view) : lane.people->detectNear(view, near);
            }
        } catch (const std::exception &e) {
            qCWarning(lcAnalysis) << "detection failed at" << job->time << "s:" << e.what();
        }
        if (fullScan) {
            const bool foundNew = std::any_of(found.begin(), found.end(), [&lane](const Box &b) {
                return isNew(b, lane.previous);
            });
            lane.interval = foundNew || job->sceneChanged
                ? fullScanEvery
                : std::min(fullScanEvery > 1 ? kQuietFactor * fullScanEvery : 1, 2 * lane.interval);
            lane.sinceFullScan = 0;
        } else {
            ++lane.sinceFullScan;
        }
        lane.older = job->sceneChanged ? QList<Box>() : lane.previous;
        lane.previous = found;
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::lock_guard lock(mutex);
        busy += seconds;
        fullScans += fullScan ? 1 : 0;
        Pending &entry = pending[job->sequence];
        (lane.kind == Kind::Faces ? entry.result.faces : entry.result.people) = std::move(found);
        if (--entry.remaining > 0)
            continue;
        // Hand results over in submission order, whichever lane finished last.
        for (auto it = pending.begin();
             it != pending.end() && it->first == completed && it->second.remaining == 0;
             it = pending.erase(it)) {
            results.push_back(std::move(it->second.result));
            ++completed;
        }
        changed.notify_all();
    }
}

bool DetectionWorker::submit(qint64 frame, const FrameView &view, bool sceneChanged,
                             const CancelCheck &cancelled)
{
    if (d->threads.empty())
        return true;
    auto job = std::make_shared<Job>();
    job->frame = frame;
    job->time = view.time;
    job->width = view.width;
    job->height = view.height;
    const size_t rowBytes = size_t(view.width) * 3;
    job->pixels.resize(rowBytes * size_t(view.height));
    for (int y = 0; y < view.height; ++y) {
        std::copy_n(view.data + size_t(y) * size_t(view.stride), rowBytes,
                    job->pixels.data() + size_t(y) * rowBytes);
    }
    std::unique_lock lock(d->mutex);
    // Waiting in slices keeps cancellation prompt while the detectors work through the queue.
    while (d->full()) {
        d->changed.wait_for(lock, std::chrono::milliseconds(50));
        if (d->full() && cancelled && cancelled())
            return false;
    }
    job->sequence = d->submitted++;
    job->sceneChanged = sceneChanged;
    Pending &entry = d->pending[job->sequence];
    entry.result.frame = frame;
    entry.result.time = view.time;
    entry.remaining = int(d->lanes.size());
    const std::shared_ptr<const Job> shared = std::move(job);
    for (const std::unique_ptr<Lane> &lane : d->lanes)
        lane->jobs.push_back(shared);
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

qint64 DetectionWorker::fullScans() const
{
    std::lock_guard lock(d->mutex);
    return d->fullScans;
}

} // namespace mmv::analysis
