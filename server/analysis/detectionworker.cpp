#include "detectionworker.h"

#include "server/analysis/facedetector.h"
#include "server/analysis/peopledetector.h"
#include "server/core/logging.h"
#include "server/core/processinfo.h"

extern "C" {
#include <libswscale/swscale.h>
}

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
#include <system_error>
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
    Picture picture; ///< the decoded picture, by reference
    int requestedWidth = 0;

    /// The picture at the detection width, made by the first thread that needs it.
    FrameView view(SwsContext **scaler) const
    {
        std::call_once(scaled, [this, scaler] {
            width = requestedWidth;
            if (!picture.toBgr(width, height, stride, pixels, scaler))
                width = height = stride = 0;
        });
        return FrameView{ pixels.data(), width, height, stride, time };
    }

private:
    mutable std::once_flag scaled;
    mutable int width = 0;
    mutable int height = 0;
    mutable int stride = 0;
    mutable std::vector<quint8> pixels; ///< packed BGR rows
};

enum class Kind { Faces, People };

/// One thread's detector and what it found in the previous sample.
struct Lane
{
    ~Lane() { sws_freeContext(scaler); }

    Kind kind = Kind::Faces;
    bool loaded = false; ///< the detector is ready, or failed to load (then neither is set)
    std::optional<FaceDetector> faces;
    std::optional<PeopleDetector> people;
    SwsContext *scaler = nullptr; ///< for the samples this thread scales
    std::deque<std::shared_ptr<const Job>> jobs;
    QList<Box> previous; ///< what the previous sample found
    QList<Box> older; ///< what the sample before that found
    int sinceFullScan = 0; ///< samples since the last whole search
    int interval = 1; ///< samples between whole searches, now
    bool profilesSkipped = false; ///< the last whole search looked for frontal faces only
    bool lastWholeFound = false; ///< the last whole search found something
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
    void load(Lane &lane);
    /// Logs why a detector is missing and adds it to `error`. Under the mutex.
    void addError(const QString &failure);
    void waitUntilLoaded() const;
    bool full() const;

    QString error;
    size_t capacity = 4;
    int fullScanEvery = 1;
    FaceDetectorOptions faceOptions;

    std::vector<std::unique_ptr<Lane>> lanes;
    std::vector<std::thread> threads;
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    std::map<qint64, Pending> pending; ///< submitted, not yet handed over, by sequence
    std::vector<DetectionResult> results; ///< finished and in order
    bool stopping = false;
    qint64 submitted = 0;
    qint64 completed = 0;
    qint64 fullScans = 0;
    double busy = 0;
};

DetectionWorker::DetectionWorker(bool faces, bool people, int fullScanEvery, int queueCapacity,
                                 const FaceDetectorOptions &faceOptions)
    : d(std::make_unique<Private>())
{
    d->capacity = size_t(std::max(1, queueCapacity));
    d->faceOptions = faceOptions;
    d->fullScanEvery = std::max(1, fullScanEvery);
    // A lane whose thread cannot start (the process is out of threads) is left out: its kind
    // is then unavailable, errorString() says why, and the analysis goes on without it.
    for (const Kind kind : { Kind::Faces, Kind::People }) {
        if ((kind == Kind::Faces && !faces) || (kind == Kind::People && !people))
            continue;
        auto lane = std::make_unique<Lane>();
        lane->kind = kind;
        lane->interval = d->fullScanEvery;
        try {
            d->threads.emplace_back([this, &lane = *lane] { d->run(lane); });
        } catch (const std::system_error &error) {
            const QString failure
                = QStringLiteral("%1 detection unavailable: cannot start its thread: %2")
                      .arg(kind == Kind::Faces ? QStringLiteral("face") : QStringLiteral("people"),
                           QString::fromLocal8Bit(error.what()));
            std::lock_guard lock(d->mutex);
            d->addError(failure);
            continue;
        }
        std::lock_guard lock(d->mutex);
        d->lanes.push_back(std::move(lane));
    }
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

void DetectionWorker::Private::waitUntilLoaded() const
{
    std::unique_lock lock(mutex);
    changed.wait(lock, [this] {
        return std::all_of(lanes.begin(), lanes.end(),
                           [](const std::unique_ptr<Lane> &lane) { return lane->loaded; });
    });
}

bool DetectionWorker::isRunning() const
{
    return !d->threads.empty();
}

// Once loaded (under the mutex) a lane's detectors no longer change.
bool DetectionWorker::detectsFaces() const
{
    d->waitUntilLoaded();
    return std::any_of(d->lanes.begin(), d->lanes.end(),
                       [](const std::unique_ptr<Lane> &lane) { return lane->faces.has_value(); });
}

bool DetectionWorker::detectsPeople() const
{
    d->waitUntilLoaded();
    return std::any_of(d->lanes.begin(), d->lanes.end(),
                       [](const std::unique_ptr<Lane> &lane) { return lane->people.has_value(); });
}

QString DetectionWorker::errorString() const
{
    d->waitUntilLoaded();
    std::lock_guard lock(d->mutex);
    return d->error;
}

/// In the lane's own thread: the cascades take ~20 ms to parse.
void DetectionWorker::Private::load(Lane &lane)
{
    QString failure;
    if (lane.kind == Kind::Faces) {
        FaceDetector detector(QString(), faceOptions);
        if (detector.isReady())
            lane.faces.emplace(std::move(detector));
        else
            failure = QStringLiteral("face detection unavailable: %1").arg(detector.errorString());
    } else {
        lane.people.emplace();
    }
    std::lock_guard lock(mutex);
    lane.loaded = true;
    if (!failure.isEmpty())
        addError(failure);
    changed.notify_all();
}

void DetectionWorker::Private::addError(const QString &failure)
{
    qCWarning(lcAnalysis) << failure;
    error = error.isEmpty() ? failure : error + QStringLiteral("; ") + failure;
}

bool DetectionWorker::Private::full() const
{
    return std::any_of(lanes.begin(), lanes.end(), [this](const std::unique_ptr<Lane> &lane) {
        return lane->jobs.size() >= capacity;
    });
}

void DetectionWorker::Private::run(Lane &lane)
{
    setCurrentThreadName(lane.kind == Kind::Faces ? "mmv-faces" : "mmv-people");
    load(lane);
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
        // Profile faces cost as much as frontal ones. While whole searches find no face at all
        // and nothing new (an empty scene, whole searches spaced out), every other one looks
        // for frontal faces only; the first, the first after a cut, those while new faces
        // appear and every one while any face is there look for both, so that a face seen
        // side-on is never dropped from the samples where it was found before.
        const bool profiles = !fullScan || job->sequence == 0 || job->sceneChanged
            || lane.interval <= fullScanEvery || lane.profilesSkipped || lane.lastWholeFound
            || !near.isEmpty();
        QList<Box> found;
        // An exception must not end the thread (and the process): a frame the detectors
        // choke on only loses its detections. Between whole searches of an empty scene there
        // is nothing to look at, and the picture is not even scaled.
        const bool hasDetector = lane.faces || lane.people;
        try {
            if (hasDetector && (fullScan || !near.isEmpty())) {
                const FrameView view = job->view(&lane.scaler);
                if (lane.faces) {
                    found = fullScan ? lane.faces->detect(view, profiles)
                                     : lane.faces->detectNear(view, near);
                    if (fullScan)
                        lane.profilesSkipped = !profiles;
                } else {
                    found = fullScan ? lane.people->detect(view)
                                     : lane.people->detectNear(view, near);
                }
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
            lane.lastWholeFound = !found.isEmpty();
        } else {
            ++lane.sinceFullScan;
        }
        lane.older = job->sceneChanged ? QList<Box>() : lane.previous;
        lane.previous = found;
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::lock_guard lock(mutex);
        busy += seconds;
        fullScans += fullScan && hasDetector ? 1 : 0;
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

bool DetectionWorker::submit(qint64 frame, double time, const Picture &picture, int width,
                             bool sceneChanged, const CancelCheck &cancelled)
{
    if (!isRunning())
        return true;
    auto job = std::make_shared<Job>();
    job->frame = frame;
    job->time = time;
    job->picture = picture;
    job->requestedWidth = width;
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
    entry.result.time = time;
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
