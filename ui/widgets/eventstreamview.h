#pragma once

#include "server/core/realtimetypes.h"
#include "server/core/servertypes.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QComboBox;
class QIODevice;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class EventFilterProxyModel;
class EventModel;
class RateChart;

/// The live event stream: every packet in and out in a capped ring buffer, filters, pause
/// and resume (nothing that arrives meanwhile is lost), a payload inspector, copy and export
/// of the filtered stream to JSON Lines, counters and a chart of the last minutes.
class EventStreamView : public QWidget
{
    Q_OBJECT

public:
    explicit EventStreamView(ServerController *controller, QWidget *parent = nullptr);

    EventModel *model() const { return m_model; }
    EventFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QPlainTextEdit *inspector() const { return m_inspector; }

    void handleEventsRecorded(const QList<EventRecord> &records);
    void handleStatsUpdated(const ServerStats &stats);
    /// Writes the rows the filter shows, one JSON object a line (with "round_trip_ms" for a
    /// request and its ack once paired); returns how many.
    qint64 writeJsonLines(QIODevice *device) const;
    /// Selects the ack of the current request or the request of the current ack (clearing
    /// the filters when they hide it); false when the current row has no pair in the list.
    bool selectPair();
    /// Pretty-printed JSON of a payload preview, or the text itself when it is not JSON.
    static QString prettyPayload(const QString &preview);

private:
    QJsonObject jsonFor(int sourceRow) const;
    void setPaused(bool paused);
    void updateInspector();
    void updateCounters();
    void sampleRates();
    void exportStream();
    void copySelection();

    QPointer<ServerController> m_controller;
    EventModel *m_model;
    EventFilterProxyModel *m_proxy;
    QComboBox *m_directionFilter;
    QLineEdit *m_eventFilter;
    QLineEdit *m_roomFilter;
    QLineEdit *m_socketFilter;
    QLineEdit *m_textFilter;
    QPushButton *m_pauseButton;
    QPushButton *m_clearButton;
    QPushButton *m_copyButton;
    QPushButton *m_exportButton;
    QPushButton *m_pairButton;
    QLabel *m_counters;
    RateChart *m_chart;
    QTableView *m_view;
    QPlainTextEdit *m_inspector;
    QTimer *m_rateTimer;
    qint64 m_lastIn = 0;
    qint64 m_lastOut = 0;
    double m_inRate = 0;
    double m_outRate = 0;
    int m_connections = 0;
    ServerStats m_lastStats; ///< for the server's own message rates
    double m_serverInRate = -1; ///< messages/s from ServerStats; -1 until two samples came
    double m_serverOutRate = -1;
    qint64 m_notRecorded = 0; ///< packets the server's tap skipped since it started
};

} // namespace mmv::ui
