#include "latencyprobe.h"

#include "server/core/logging.h"
#include "server/core/processinfo.h"

#include <QCoreApplication>
#include <QEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTabWidget>
#include <QTimerEvent>

namespace mmv::ui {

namespace {

const QEvent::Type ProbeEventType = QEvent::Type(QEvent::registerEventType());
constexpr int DefaultIntervalMs = 10;
constexpr int DefaultTabPeriodMs = 3000;

/// A tick of the probe: when it was posted.
class ProbeEvent : public QEvent
{
public:
    explicit ProbeEvent(std::chrono::steady_clock::time_point posted)
        : QEvent(ProbeEventType)
        , postedAt(posted)
    { }
    const std::chrono::steady_clock::time_point postedAt;
};

} // namespace

LatencyProbe *LatencyProbe::createFromEnvironment(QTabWidget *tabs, QObject *parent)
{
    const QString path = qEnvironmentVariable("MMV_GUI_LATENCY_PROBE");
    if (path.isEmpty())
        return nullptr;
    auto *probe = new LatencyProbe(path, DefaultIntervalMs, parent);
    if (!probe->isOpen()) {
        qCWarning(lcUi) << "GUI latency probe: cannot write" << path;
        delete probe;
        return nullptr;
    }
    const QString tabs_ = qEnvironmentVariable("MMV_GUI_LATENCY_TABS");
    bool isNumber = false;
    const int fixed = tabs_.toInt(&isNumber);
    const int period = qEnvironmentVariableIntValue("MMV_GUI_LATENCY_TAB_MS");
    if (tabs_ == u"cycle")
        probe->driveTabs(tabs, -1, period > 0 ? period : DefaultTabPeriodMs);
    else if (isNumber)
        probe->driveTabs(tabs, fixed, 0);
    qCInfo(lcUi) << "GUI latency probe writing to" << path;
    return probe;
}

LatencyProbe::LatencyProbe(const QString &outputPath, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_output(outputPath)
    , m_intervalMs(qMax(1, intervalMs))
    , m_start(std::chrono::steady_clock::now())
{
    if (!m_output.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return;
    m_samples.reserve(size_t(2000 / m_intervalMs));
    // A plain thread on a fixed schedule: it needs no event loop, and a late GUI thread cannot
    // delay the posting, only the delivery.
    m_ticker = std::thread([this] {
        auto next = std::chrono::steady_clock::now();
        while (m_running.load(std::memory_order_relaxed)) {
            next += std::chrono::milliseconds(m_intervalMs);
            std::this_thread::sleep_until(next);
            QCoreApplication::postEvent(this, new ProbeEvent(std::chrono::steady_clock::now()));
        }
    });
    m_reportTimer = startTimer(1000);
}

LatencyProbe::~LatencyProbe()
{
    m_running = false;
    if (m_ticker.joinable())
        m_ticker.join();
    if (m_output.isOpen())
        writeReport();
}

void LatencyProbe::driveTabs(QTabWidget *tabs, int fixedTab, int periodMs)
{
    m_tabs = tabs;
    if (!tabs)
        return;
    if (fixedTab >= 0) {
        tabs->setCurrentIndex(fixedTab);
        return;
    }
    m_tabPeriodMs = periodMs;
    tabs->setCurrentIndex(0);
    m_tabTimer = startTimer(periodMs);
}

void LatencyProbe::customEvent(QEvent *event)
{
    if (event->type() != ProbeEventType)
        return;
    const auto posted = static_cast<ProbeEvent *>(event)->postedAt;
    const auto waited = std::chrono::steady_clock::now() - posted;
    m_samples.push_back(std::chrono::duration_cast<std::chrono::microseconds>(waited).count());
}

void LatencyProbe::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_reportTimer) {
        writeReport();
    } else if (event->timerId() == m_tabTimer && m_tabs) {
        m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
    }
}

void LatencyProbe::writeReport()
{
    QJsonArray latencies;
    for (qint64 sample : m_samples)
        latencies.append(sample);
    m_samples.clear();
    const qint64 elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - m_start)
                                 .count();
    QJsonObject line{
        { QStringLiteral("t_ms"), elapsedMs },
        { QStringLiteral("latency_us"), latencies },
        { QStringLiteral("rss_kib"), residentMemoryKiB() },
        { QStringLiteral("tab"), m_tabs ? m_tabs->currentIndex() : -1 },
    };
    const auto times = schedulerTimes();
    if (times.first >= 0 && m_lastSchedulerTimes.first >= 0) {
        line.insert(QStringLiteral("gui_cpu_us"),
                    (times.first - m_lastSchedulerTimes.first) / 1000);
        line.insert(QStringLiteral("gui_runqueue_us"),
                    (times.second - m_lastSchedulerTimes.second) / 1000);
    }
    m_lastSchedulerTimes = times;
    m_output.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    m_output.flush();
}

std::pair<qint64, qint64> LatencyProbe::schedulerTimes()
{
    // "<ns on a CPU> <ns runnable but waiting> <time slices>" of the calling (GUI) thread.
    QFile file(QStringLiteral("/proc/thread-self/schedstat"));
    if (!file.open(QIODevice::ReadOnly))
        return { -1, -1 };
    const QList<QByteArray> fields = file.readAll().trimmed().split(' ');
    if (fields.size() < 2)
        return { -1, -1 };
    return { fields.at(0).toLongLong(), fields.at(1).toLongLong() };
}

} // namespace mmv::ui
