#include "eventstreamview.h"

#include "columnwidths.h"

#include "ratechart.h"

#include "ui/models/eventfilterproxymodel.h"
#include "ui/models/eventmodel.h"
#include "ui/uitext.h"

#include "server/core/servercontroller.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace mmv::ui {

EventStreamView::EventStreamView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new EventModel(this))
    , m_proxy(new EventFilterProxyModel(this))
    , m_directionFilter(new QComboBox(this))
    , m_eventFilter(new QLineEdit(this))
    , m_roomFilter(new QLineEdit(this))
    , m_socketFilter(new QLineEdit(this))
    , m_textFilter(new QLineEdit(this))
    , m_pauseButton(new QPushButton(tr("&Pause"), this))
    , m_clearButton(new QPushButton(tr("C&lear"), this))
    , m_copyButton(new QPushButton(tr("&Copy"), this))
    , m_exportButton(new QPushButton(tr("E&xport…"), this))
    , m_pairButton(new QPushButton(tr("&Go to Pair"), this))
    , m_counters(new QLabel(this))
    , m_chart(new RateChart(this))
    , m_view(new QTableView(this))
    , m_inspector(new QPlainTextEdit(this))
    , m_rateTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("eventStreamView"));
    m_model->setObjectName(QStringLiteral("eventModel"));
    m_proxy->setObjectName(QStringLiteral("eventProxyModel"));
    m_proxy->setSourceModel(m_model);

    m_directionFilter->setObjectName(QStringLiteral("eventDirectionFilter"));
    m_directionFilter->addItem(tr("In and out"));
    m_directionFilter->addItem(tr("In only"));
    m_directionFilter->addItem(tr("Out only"));
    m_directionFilter->setToolTip(tr("Packets received from clients, sent to them, or both"));
    const std::pair<QLineEdit *, QString> edits[] = {
        { m_eventFilter, tr("Event") },
        { m_roomFilter, tr("Room") },
        { m_socketFilter, tr("Socket") },
        { m_textFilter, tr("Text in payload") },
    };
    const char *names[]
        = { "eventNameFilter", "eventRoomFilter", "eventSocketFilter", "eventTextFilter" };
    for (int i = 0; i < 4; ++i) {
        edits[i].first->setObjectName(QString::fromLatin1(names[i]));
        edits[i].first->setPlaceholderText(edits[i].second);
        edits[i].first->setClearButtonEnabled(true);
        edits[i].first->setToolTip(tr("Shows only the packets that contain this text here"));
    }
    m_pauseButton->setObjectName(QStringLiteral("pauseEventsButton"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(
        tr("Freeze the list; packets arriving meanwhile are kept and shown on resume"));
    m_clearButton->setObjectName(QStringLiteral("clearEventsButton"));
    m_clearButton->setToolTip(tr("Remove every packet from the list"));
    m_copyButton->setObjectName(QStringLiteral("copyEventsButton"));
    m_copyButton->setToolTip(tr("Copy the selected packets as JSON Lines"));
    m_exportButton->setObjectName(QStringLiteral("exportEventsButton"));
    m_exportButton->setToolTip(tr("Save the packets the filter shows as JSON Lines"));
    m_pairButton->setObjectName(QStringLiteral("eventPairButton"));
    m_pairButton->setToolTip(tr("Select the reply of this request, or the request of this reply"));
    m_pairButton->setEnabled(false);
    m_counters->setObjectName(QStringLiteral("eventCounters"));
    m_counters->setToolTip(
        tr("Packets shown and recorded, and the packet rate. Under heavy load the server "
           "records only part of the packets for this list (the rest are counted as not "
           "recorded); the chart's rates come from the server's counters and include them."));
    m_chart->setObjectName(QStringLiteral("eventRateChart"));
    m_chart->addSeries(tr("Connections"), QColor(0x2e, 0x7d, 0x32));
    m_chart->addSeries(tr("In/s"), QColor(0x15, 0x65, 0xc0));
    m_chart->addSeries(tr("Out/s"), QColor(0xe6, 0x51, 0x00));

    m_view->setObjectName(QStringLiteral("eventTable"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(EventModel::TimeColumn, 95);
    m_view->horizontalHeader()->resizeSection(EventModel::DirectionColumn, 45);
    m_view->horizontalHeader()->resizeSection(EventModel::TypeColumn, 130);
    m_view->horizontalHeader()->resizeSection(EventModel::EventColumn, 150);
    m_view->horizontalHeader()->resizeSection(EventModel::SocketColumn, 170);
    m_view->horizontalHeader()->resizeSection(EventModel::RoomsColumn, 100);
    m_view->horizontalHeader()->resizeSection(EventModel::SizeColumn, 70);
    fitColumnTitles(m_view->horizontalHeader());

    m_inspector->setObjectName(QStringLiteral("eventInspector"));
    m_inspector->setReadOnly(true);
    m_inspector->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_inspector->setPlaceholderText(tr("Select a packet to inspect its payload."));

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_directionFilter);
    filters->addWidget(m_eventFilter, 1);
    filters->addWidget(m_roomFilter, 1);
    filters->addWidget(m_socketFilter, 1);
    filters->addWidget(m_textFilter, 2);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_pauseButton);
    actions->addWidget(m_clearButton);
    actions->addWidget(m_copyButton);
    actions->addWidget(m_exportButton);
    actions->addWidget(m_pairButton);
    actions->addSpacing(12);
    actions->addWidget(m_counters, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("eventSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_view);
    splitter->addWidget(m_inspector);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addLayout(actions);
    layout->addWidget(m_chart);
    layout->addWidget(splitter, 1);

    connect(m_directionFilter, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_proxy->setDirection(EventFilterProxyModel::Direction(index));
        updateCounters();
    });
    connect(m_eventFilter, &QLineEdit::textChanged, m_proxy,
            &EventFilterProxyModel::setEventFilter);
    connect(m_roomFilter, &QLineEdit::textChanged, m_proxy, &EventFilterProxyModel::setRoomFilter);
    connect(m_socketFilter, &QLineEdit::textChanged, m_proxy,
            &EventFilterProxyModel::setSocketFilter);
    connect(m_textFilter, &QLineEdit::textChanged, m_proxy, &EventFilterProxyModel::setTextFilter);
    for (QLineEdit *edit : { m_eventFilter, m_roomFilter, m_socketFilter, m_textFilter })
        connect(edit, &QLineEdit::textChanged, this, &EventStreamView::updateCounters);
    connect(m_pauseButton, &QPushButton::toggled, this, &EventStreamView::setPaused);
    connect(m_clearButton, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_inspector->clear();
        updateCounters();
    });
    connect(m_copyButton, &QPushButton::clicked, this, &EventStreamView::copySelection);
    connect(m_exportButton, &QPushButton::clicked, this, &EventStreamView::exportStream);
    connect(m_pairButton, &QPushButton::clicked, this, &EventStreamView::selectPair);
    // A reply that arrives while its request is selected shows up in the inspector at once.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                const int row = m_proxy->mapToSource(m_view->currentIndex()).row();
                if (row >= topLeft.row() && row <= bottomRight.row())
                    updateInspector();
            });
    connect(m_model, &EventModel::pendingCountChanged, this, &EventStreamView::updateCounters);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventStreamView::updateInspector);

    // Follow the newest packet while the view is scrolled to the bottom.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *bar = m_view->verticalScrollBar();
        m_view->setProperty("follow", bar->value() >= bar->maximum());
    });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->property("follow").toBool())
            m_view->scrollToBottom();
    });

    m_rateTimer->setInterval(1000);
    connect(m_rateTimer, &QTimer::timeout, this, &EventStreamView::sampleRates);
    m_rateTimer->start();

    if (m_controller) {
        connect(m_controller, &ServerController::eventsRecorded, this,
                &EventStreamView::handleEventsRecorded);
        connect(m_controller, &ServerController::statsUpdated, this,
                &EventStreamView::handleStatsUpdated);
    }
    updateCounters();
}

void EventStreamView::handleEventsRecorded(const QList<EventRecord> &records)
{
    m_model->appendRecords(records);
    updateCounters();
}

void EventStreamView::handleStatsUpdated(const ServerStats &stats)
{
    m_connections = stats.realtimeClients;
    // The server's counters see every message; the tap records at most a few thousand a
    // second, so under load the chart follows the counters, not the recorded rows.
    const qint64 elapsedMs = stats.uptimeMs - m_lastStats.uptimeMs;
    if (m_lastStats.uptimeMs > 0 && elapsedMs > 0 && stats.messagesIn >= m_lastStats.messagesIn
        && stats.messagesOut >= m_lastStats.messagesOut) {
        m_serverInRate = double(stats.messagesIn - m_lastStats.messagesIn) * 1000.0 / elapsedMs;
        m_serverOutRate = double(stats.messagesOut - m_lastStats.messagesOut) * 1000.0 / elapsedMs;
    } else {
        m_serverInRate = m_serverOutRate = -1;
    }
    m_lastStats = stats;
    m_notRecorded = stats.eventsNotRecorded;
    updateCounters();
}

void EventStreamView::setPaused(bool paused)
{
    m_model->setPaused(paused);
    m_pauseButton->setChecked(paused);
    m_pauseButton->setText(paused ? tr("&Resume") : tr("&Pause"));
    updateCounters();
}

void EventStreamView::sampleRates()
{
    const qint64 in = m_model->totalIn();
    const qint64 out = m_model->totalOut();
    m_inRate = double(in - m_lastIn);
    m_outRate = double(out - m_lastOut);
    m_lastIn = in;
    m_lastOut = out;
    m_chart->addSample({ double(m_connections), m_serverInRate >= 0 ? m_serverInRate : m_inRate,
                         m_serverOutRate >= 0 ? m_serverOutRate : m_outRate });
    updateCounters();
}

void EventStreamView::updateCounters()
{
    const QLocale locale;
    QString text
        = tr("Shown %1 of %2 · total in %3, out %4 · %5 in/s, %6 out/s")
              .arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount()),
                   locale.toString(m_model->totalIn()), locale.toString(m_model->totalOut()),
                   locale.toString(m_inRate, 'f', 0), locale.toString(m_outRate, 'f', 0));
    if (m_notRecorded > 0)
        text += QStringLiteral(" · ") + tr("%1 not recorded").arg(locale.toString(m_notRecorded));
    if (m_model->isPaused())
        text += QStringLiteral(" · ") + tr("paused, %n waiting", "", m_model->pendingCount());
    m_counters->setText(text);
}

QString EventStreamView::prettyPayload(const QString &preview)
{
    // Wrapping in an array accepts any JSON value, scalars included.
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray("[") + preview.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        return preview;
    const QJsonValue value = document.array().at(0);
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented));
    return preview;
}

void EventStreamView::updateInspector()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid()) {
        m_inspector->clear();
        m_pairButton->setEnabled(false);
        return;
    }
    const EventRecord &r = m_model->record(current.row());
    QStringList lines;
    lines << tr("Time: %1").arg(r.time.toLocalTime().toString(Qt::ISODateWithMs));
    lines << tr("Direction: %1")
                 .arg(r.direction == EventRecord::Direction::In ? tr("in") : tr("out"));
    lines << tr("Type: %1").arg(r.type);
    if (!r.event.isEmpty())
        lines << tr("Event: %1").arg(r.event);
    if (r.ackId >= 0)
        lines << tr("Ack id: %1").arg(r.ackId);
    lines << tr("Namespace: %1").arg(r.nsp);
    lines << tr("Socket: %1").arg(r.socketId.isEmpty() ? UiText::none() : r.socketId);
    if (!r.rooms.isEmpty())
        lines << tr("Rooms: %1").arg(r.rooms.join(QStringLiteral(", ")));
    lines << tr("Recipients: %1").arg(r.recipients);
    lines << tr("Size: %1 text, %n binary attachment(s)", "", r.attachments)
                 .arg(UiText::dataSize(r.size));
    lines << QString() << prettyPayload(r.preview);

    // An ack is shown with its request and the other way round.
    const int paired = m_model->pairedRow(current.row());
    m_pairButton->setEnabled(paired >= 0);
    if (r.ackId >= 0 && !r.socketId.isEmpty()) {
        const bool ack = EventModel::isAck(r);
        lines << QString();
        if (paired < 0) {
            lines << (m_model->roundTripMs(current.row()) >= 0 ? tr("Its pair has left the list.")
                          : ack ? tr("Its request is not in the list.")
                                : tr("No reply yet."));
        } else {
            const EventRecord &p = m_model->record(paired);
            lines << (ack ? tr("── Request, %1 ms before ──") : tr("── Reply, %1 ms later ──"))
                         .arg(m_model->roundTripMs(current.row()));
            lines << tr("Time: %1").arg(p.time.toLocalTime().toString(Qt::ISODateWithMs));
            lines << tr("Type: %1").arg(p.type);
            if (!p.event.isEmpty())
                lines << tr("Event: %1").arg(p.event);
            lines << tr("Size: %1 text, %n binary attachment(s)", "", p.attachments)
                         .arg(UiText::dataSize(p.size));
            lines << QString() << prettyPayload(p.preview);
        }
    }
    m_inspector->setPlainText(lines.join(QLatin1Char('\n')));
}

QJsonObject EventStreamView::jsonFor(int sourceRow) const
{
    QJsonObject object = EventModel::toJson(m_model->record(sourceRow));
    if (m_model->roundTripMs(sourceRow) >= 0)
        object.insert(QStringLiteral("round_trip_ms"), m_model->roundTripMs(sourceRow));
    return object;
}

qint64 EventStreamView::writeJsonLines(QIODevice *device) const
{
    qint64 written = 0;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
        QByteArray line = QJsonDocument(jsonFor(source)).toJson(QJsonDocument::Compact);
        line.append('\n');
        if (device->write(line) != line.size())
            return -1;
        ++written;
    }
    return written;
}

void EventStreamView::exportStream()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Event Stream"),
                                                      QStringLiteral("events.jsonl"),
                                                      tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    qint64 written = -1;
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        written = writeJsonLines(&file);
    if (written < 0 || !file.flush()) {
        QMessageBox::warning(this, tr("Export Event Stream"),
                             tr("Could not write %1: %2").arg(path, file.errorString()));
    }
}

bool EventStreamView::selectPair()
{
    const QModelIndex current = m_proxy->mapToSource(m_view->currentIndex());
    if (!current.isValid())
        return false;
    const int paired = m_model->pairedRow(current.row());
    if (paired < 0)
        return false;
    QModelIndex target = m_proxy->mapFromSource(m_model->index(paired, 0));
    if (!target.isValid()) {
        // Filtered out: show everything rather than fail silently.
        for (QLineEdit *edit : { m_eventFilter, m_roomFilter, m_socketFilter, m_textFilter })
            edit->clear();
        m_directionFilter->setCurrentIndex(0);
        target = m_proxy->mapFromSource(m_model->index(paired, 0));
    }
    m_view->setCurrentIndex(target);
    m_view->scrollTo(target);
    return target.isValid();
}

void EventStreamView::copySelection()
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    for (const QModelIndex &index : std::as_const(rows)) {
        lines << QString::fromUtf8(QJsonDocument(jsonFor(m_proxy->mapToSource(index).row()))
                                       .toJson(QJsonDocument::Compact));
    }
    if (!lines.isEmpty())
        QGuiApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

} // namespace mmv::ui
