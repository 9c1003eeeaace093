#pragma once

#include <QFile>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

class QTabWidget;

namespace mmv::ui {

/// Measures how late the GUI thread's event loop runs, for the GUI latency benchmark
/// (tests/bench/gui_latency.mjs). Off unless the environment asks for it.
///
/// A helper thread posts a time-stamped event to this object every `intervalMs`; the GUI
/// thread notes how long each one waited before it was delivered. Posted events queue behind
/// the event loop's other work (the server's queued batches, paints, timers), so a GUI thread
/// busy for 200 ms shows as latencies of up to 200 ms. Once a second it appends a JSON line
/// to the output file: the elapsed time, every latency of that second in microseconds, the
/// process's resident memory, the tab shown, and how long the GUI thread ran and how long it
/// was ready but waited for a CPU during that second (/proc/thread-self/schedstat), which tells
/// work in the GUI thread from a machine too busy to run it. It can also switch tabs on a schedule
/// so that every view is measured while it paints.
class LatencyProbe : public QObject
{
    Q_OBJECT

public:
    /// `MMV_GUI_LATENCY_PROBE`: the output file (JSON Lines; required to enable the probe).
    /// `MMV_GUI_LATENCY_TABS`: "cycle" to show each tab in turn for `MMV_GUI_LATENCY_TAB_MS`
    /// (default 3000), or a tab index to stay on.
    /// Returns null when the probe is not asked for or the file cannot be written.
    static LatencyProbe *createFromEnvironment(QTabWidget *tabs, QObject *parent);

    LatencyProbe(const QString &outputPath, int intervalMs, QObject *parent = nullptr);
    ~LatencyProbe() override;

    bool isOpen() const { return m_output.isOpen(); }
    /// Shows tab after tab of `tabs`, `periodMs` each; a negative `fixedTab` cycles.
    void driveTabs(QTabWidget *tabs, int fixedTab, int periodMs);
    /// Latencies (microseconds) measured since the last report; for tests.
    const std::vector<qint64> &pendingSamples() const { return m_samples; }

protected:
    void customEvent(QEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    void writeReport();
    /// Nanoseconds this thread ran and waited to run since it started; {-1, -1} if unknown.
    static std::pair<qint64, qint64> schedulerTimes();

    QFile m_output;
    int m_intervalMs;
    std::chrono::steady_clock::time_point m_start;
    std::vector<qint64> m_samples;
    std::pair<qint64, qint64> m_lastSchedulerTimes{ -1, -1 };
    std::atomic_bool m_running{ true };
    std::thread m_ticker;
    int m_reportTimer = 0;
    int m_tabTimer = 0;
    QPointer<QTabWidget> m_tabs;
    int m_tabPeriodMs = 0;
};

} // namespace mmv::ui
