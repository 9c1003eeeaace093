// The dashboard's views offscreen: event stream filters, pause and resume and export; the
// broadcast form's validation, and sending to a real Socket.IO client of a real server; the
// connections table fed by the server; settings precedence in the settings dialog.

#include "server/core/servercontroller.h"
#include "server/core/settings.h"
#include "ui/dialogs/settingsdialog.h"
#include "ui/mainwindow.h"
#include "ui/models/broadcasthistorymodel.h"
#include "ui/models/connectionmodel.h"
#include "ui/models/eventfilterproxymodel.h"
#include "ui/models/eventmodel.h"
#include "ui/widgets/broadcastview.h"
#include "ui/widgets/connectionsview.h"
#include "ui/widgets/eventstreamview.h"
#include "ui/widgets/ratechart.h"

#include "dashboardtesting.h"

#include <QBuffer>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkRequest>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QWebSocket>

using namespace mmv;
using namespace mmv::ui;
using namespace mmv::testing;

namespace {

/// A minimal Socket.IO v5 client over Engine.IO v4 WebSocket framing.
class MiniSocketIoClient : public QObject
{
public:
    /// `query` is added to the handshake URL, `headers` to its request.
    explicit MiniSocketIoClient(quint16 port, const QString &query = {},
                                const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (text == u"2") {
                m_socket.sendTextMessage(QStringLiteral("3"));
            } else if (text.startsWith(u'0')) {
                m_socket.sendTextMessage(QStringLiteral("40"));
            } else if (text.startsWith(QStringLiteral("40"))) {
                const QJsonObject connected
                    = QJsonDocument::fromJson(text.mid(2).toUtf8()).object();
                m_sid = connected.value(QStringLiteral("sid")).toString();
            } else if (text.startsWith(QStringLiteral("42"))) {
                m_events.append(QJsonDocument::fromJson(text.mid(2).toUtf8()).array());
            }
        });
        QNetworkRequest request(
            QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?EIO=4&transport=websocket%2")
                     .arg(port)
                     .arg(query.isEmpty() ? QString() : QLatin1Char('&') + query)));
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        m_socket.open(request);
    }

    QString sid() const { return m_sid; }
    QList<QJsonArray> events() const { return m_events; }
    /// Emits `event` asking for an ack with id `ackId`.
    void emitWithAck(qint64 ackId, const QString &event, const QJsonValue &data)
    {
        const QByteArray args
            = QJsonDocument(QJsonArray{ event, data }).toJson(QJsonDocument::Compact);
        m_socket.sendTextMessage(QStringLiteral("42%1").arg(ackId) + QString::fromUtf8(args));
    }

private:
    QWebSocket m_socket;
    QString m_sid;
    QList<QJsonArray> m_events;
};

class RunningServer
{
public:
    RunningServer()
    {
        ServerConfig config;
        config.bindAddress = QHostAddress::LocalHost;
        config.port = 0;
        config.noAuth = true;
        config.dataDir = m_dir.path();
        m_status = controller.start(config);
    }
    ~RunningServer() { controller.stop(1000); }
    bool ok() const { return !m_status && controller.state().isListening(); }
    quint16 port() const { return controller.state().port; }

    ServerController controller;

private:
    QTemporaryDir m_dir;
    Status m_status;
};

} // namespace

class tst_Dashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void eventStreamFilters();
    void eventStreamPauseAndResume();
    void eventStreamChartsTheServersRates();
    void eventStreamExportsJsonLines();
    void eventStreamInspectorPrettyPrints();
    void eventStreamShowsAcksWithTheirRequest();
    void broadcastValidation_data();
    void broadcastValidation();
    void broadcastTemplates();
    void broadcastReachesARealClient();
    void broadcastHistoryMatchesAnswersById();
    void connectionsTableFollowsTheServer();
    void connectionDetailShowsTheHandshake();
    void settingsDialogGreysOutOverrides();
};

void tst_Dashboard::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MultiModelVideoTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_dashboard"));
    QStandardPaths::setTestModeEnabled(true);
}

void tst_Dashboard::eventStreamFilters()
{
    EventStreamView view(nullptr);
    view.handleEventsRecorded(
        { record(EventRecord::Direction::In, QStringLiteral("chat_message"), QStringLiteral("s1")),
          record(EventRecord::Direction::Out, QStringLiteral("notification")),
          record(EventRecord::Direction::In, QStringLiteral("set_name"), QStringLiteral("s2"), {},
                 QStringLiteral("{\"name\":\"Zed\"}")) });
    QCOMPARE(view.proxy()->rowCount(), 3);

    child<QComboBox>(view, "eventDirectionFilter")->setCurrentIndex(1);
    QCOMPARE(view.proxy()->rowCount(), 2);
    QTest::keyClicks(child<QLineEdit>(view, "eventTextFilter"), QStringLiteral("zed"));
    QCOMPARE(view.proxy()->rowCount(), 1);
    QCOMPARE(view.proxy()->index(0, EventModel::EventColumn).data().toString(),
             QStringLiteral("set_name"));
    child<QLineEdit>(view, "eventTextFilter")->clear();
    child<QComboBox>(view, "eventDirectionFilter")->setCurrentIndex(0);
    QTest::keyClicks(child<QLineEdit>(view, "eventSocketFilter"), QStringLiteral("s1"));
    QCOMPARE(view.proxy()->rowCount(), 1);
    QVERIFY(child<QLabel>(view, "eventCounters")->text().contains(QStringLiteral("1")));
}

void tst_Dashboard::eventStreamChartsTheServersRates()
{
    EventStreamView view(nullptr);
    auto *chart = view.findChild<RateChart *>(QStringLiteral("eventRateChart"));
    QVERIFY(chart);
    // Two recorded rows, but the server saw 20,000 messages in and 40,000 out in that second
    // and its tap skipped 18,000 of them.
    view.handleEventsRecorded({ record(EventRecord::Direction::In, QStringLiteral("a")),
                                record(EventRecord::Direction::Out, QStringLiteral("b")) });
    ServerStats stats;
    stats.realtimeClients = 1000;
    stats.uptimeMs = 10'000;
    stats.messagesIn = 100;
    stats.messagesOut = 100;
    view.handleStatsUpdated(stats);
    QVERIFY(!child<QLabel>(view, "eventCounters")->text().contains(u"not recorded"));
    stats.uptimeMs = 11'000;
    stats.messagesIn = 20'100;
    stats.messagesOut = 40'100;
    stats.eventsNotRecorded = 18'000;
    view.handleStatsUpdated(stats);
    QVERIFY2(child<QLabel>(view, "eventCounters")
                 ->text()
                 .contains(QStringLiteral("%1 not recorded").arg(QLocale().toString(18'000))),
             qPrintable(child<QLabel>(view, "eventCounters")->text()));
    const int samples = chart->sampleCount();
    QTRY_VERIFY(chart->sampleCount() > samples); // sampled once a second
    QCOMPARE(chart->lastSample(), (QList<double>{ 1000, 20'000, 40'000 }));
}

void tst_Dashboard::eventStreamPauseAndResume()
{
    EventStreamView view(nullptr);
    view.handleEventsRecorded({ record(EventRecord::Direction::In, QStringLiteral("a")) });
    auto *pause = child<QPushButton>(view, "pauseEventsButton");
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(view.model()->isPaused());
    view.handleEventsRecorded({ record(EventRecord::Direction::In, QStringLiteral("b")),
                                record(EventRecord::Direction::Out, QStringLiteral("c")) });
    QCOMPARE(view.proxy()->rowCount(), 1);
    QVERIFY(child<QLabel>(view, "eventCounters")->text().contains(QStringLiteral("2")));
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!view.model()->isPaused());
    QCOMPARE(view.proxy()->rowCount(), 3);
    QCOMPARE(view.proxy()->index(2, EventModel::EventColumn).data().toString(),
             QStringLiteral("c"));
}

void tst_Dashboard::eventStreamExportsJsonLines()
{
    EventStreamView view(nullptr);
    view.handleEventsRecorded(
        { record(EventRecord::Direction::In, QStringLiteral("chat_message"), QStringLiteral("s1")),
          record(EventRecord::Direction::Out, QStringLiteral("notification")),
          record(EventRecord::Direction::Out, QStringLiteral("processing_status")) });
    child<QComboBox>(view, "eventDirectionFilter")->setCurrentIndex(2);
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QCOMPARE(view.writeJsonLines(&buffer), 2);
    const QList<QByteArray> lines = buffer.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(first.value(QStringLiteral("event")).toString(), QStringLiteral("notification"));
    QCOMPARE(first.value(QStringLiteral("direction")).toString(), QStringLiteral("out"));
    QCOMPARE(
        QJsonDocument::fromJson(lines.at(1)).object().value(QStringLiteral("event")).toString(),
        QStringLiteral("processing_status"));
}

void tst_Dashboard::eventStreamInspectorPrettyPrints()
{
    QCOMPARE(EventStreamView::prettyPayload(QStringLiteral("{\"a\":1}")),
             QStringLiteral("{\n    \"a\": 1\n}\n"));
    QCOMPARE(EventStreamView::prettyPayload(QStringLiteral("{\"a\":1…")),
             QStringLiteral("{\"a\":1…"));
    EventStreamView view(nullptr);
    view.handleEventsRecorded(
        { record(EventRecord::Direction::In, QStringLiteral("x"), QStringLiteral("s1"), {},
                 QStringLiteral("[\"x\",{\"k\":2}]")) });
    view.view()->setCurrentIndex(view.proxy()->index(0, 0));
    QVERIFY(view.inspector()->toPlainText().contains(QStringLiteral("\"k\": 2")));
}

void tst_Dashboard::broadcastValidation_data()
{
    QTest::addColumn<int>("target");
    QTest::addColumn<QString>("targetText");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<bool>("valid");

    QTest::addRow("object to all") << 0 << ""
                                   << "hello"
                                   << "{\"a\": 1}" << true;
    QTest::addRow("scalar") << 0 << ""
                            << "hello"
                            << "42" << true;
    QTest::addRow("string") << 0 << ""
                            << "hello"
                            << "\"hi\"" << true;
    QTest::addRow("empty payload is null") << 0 << ""
                                           << "hello"
                                           << "" << true;
    QTest::addRow("broken json") << 0 << ""
                                 << "hello"
                                 << "{\"a\": }" << false;
    QTest::addRow("two values") << 0 << ""
                                << "hello"
                                << "1 2" << false;
    QTest::addRow("trailing comma") << 0 << ""
                                    << "hello"
                                    << "[1,]" << false;
    QTest::addRow("no event") << 0 << ""
                              << ""
                              << "{}" << false;
    QTest::addRow("reserved event") << 0 << ""
                                    << "disconnect"
                                    << "{}" << false;
    QTest::addRow("room without name") << 1 << ""
                                       << "hello"
                                       << "{}" << false;
    QTest::addRow("room") << 1 << "chat:lobby"
                          << "hello"
                          << "{}" << true;
    QTest::addRow("socket without id") << 2 << " "
                                       << "hello"
                                       << "{}" << false;
}

void tst_Dashboard::broadcastValidation()
{
    QFETCH(int, target);
    QFETCH(QString, targetText);
    QFETCH(QString, event);
    QFETCH(QString, payload);
    QFETCH(bool, valid);

    ServerController controller; // not started: sending is possible, nothing is delivered
    BroadcastView view(&controller);
    child<QComboBox>(view, "broadcastTargetKind")->setCurrentIndex(target);
    child<QLineEdit>(view, "broadcastTargetEdit")->setText(targetText);
    child<QLineEdit>(view, "broadcastEventEdit")->setText(event);
    child<QPlainTextEdit>(view, "broadcastPayloadEdit")->setPlainText(payload);
    QCOMPARE(view.validationError().isEmpty(), valid);
    QCOMPARE(child<QPushButton>(view, "broadcastSendButton")->isEnabled(), valid);
    if (!valid)
        QCOMPARE(child<QLabel>(view, "broadcastValidationLabel")->text(), view.validationError());
    QCOMPARE(view.send(), valid);
    QCOMPARE(view.history()->rowCount(), valid ? 1 : 0);
}

void tst_Dashboard::broadcastTemplates()
{
    BroadcastView view(nullptr);
    for (auto which :
         { BroadcastView::Template::Notification, BroadcastView::Template::ProcessingStatus,
           BroadcastView::Template::VisualAnalysisResult }) {
        view.applyTemplate(which);
        QString error;
        const QJsonValue payload = BroadcastView::parsePayload(
            child<QPlainTextEdit>(view, "broadcastPayloadEdit")->toPlainText(), &error);
        QVERIFY2(payload.isObject(), qPrintable(error));
        QVERIFY(payload.toObject().contains(QStringLiteral("timestamp")));
    }
    QCOMPARE(child<QLineEdit>(view, "broadcastEventEdit")->text(),
             QStringLiteral("visual_analysis_result"));
}

void tst_Dashboard::broadcastReachesARealClient()
{
    RunningServer server;
    QVERIFY(server.ok());
    MiniSocketIoClient client(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(!client.sid().isEmpty(), 5000);

    BroadcastView view(&server.controller);
    view.applyTemplate(BroadcastView::Template::Notification);
    view.setTarget({}, client.sid());
    QVERIFY(view.send());
    QTRY_COMPARE_WITH_TIMEOUT(client.events().size(), 1, 5000);
    QCOMPARE(client.events().at(0).at(0).toString(), QStringLiteral("notification"));
    QCOMPARE(client.events().at(0).at(1).toObject().value(QStringLiteral("level")).toString(),
             QStringLiteral("info"));
    QTRY_COMPARE_WITH_TIMEOUT(view.history()->broadcast(0).delivered, 1, 5000);

    // Everybody, with a custom scalar payload.
    view.setTarget({}, {});
    child<QLineEdit>(view, "broadcastEventEdit")->setText(QStringLiteral("custom"));
    child<QPlainTextEdit>(view, "broadcastPayloadEdit")->setPlainText(QStringLiteral("7"));
    QVERIFY(view.send());
    QTRY_COMPARE_WITH_TIMEOUT(client.events().size(), 2, 5000);
    QCOMPARE(client.events().at(1).at(1).toInt(), 7);
    QTRY_COMPARE_WITH_TIMEOUT(view.history()->broadcast(1).delivered, 1, 5000);
    QCOMPARE(view.history()->index(1, BroadcastHistoryModel::DeliveredColumn).data().toString(),
             QStringLiteral("1"));
}

void tst_Dashboard::broadcastHistoryMatchesAnswersById()
{
    ServerController controller; // not started: every request is answered with an error
    BroadcastView view(&controller);
    QSignalSpy answers(&controller, &ServerController::actionFinished);
    view.applyTemplate(BroadcastView::Template::Notification);
    QVERIFY(view.send());
    QVERIFY(view.send());
    const quint64 first = view.history()->broadcast(0).requestId;
    const quint64 second = view.history()->broadcast(1).requestId;
    QVERIFY(first != 0);
    QVERIFY(second != first);

    // The second request's answer comes first: it lands on the second row, not the oldest.
    Q_EMIT controller.actionFinished(QStringLiteral("emit"), 5, QString(), second);
    QCOMPARE(view.history()->broadcast(1).delivered, 5);
    QCOMPARE(view.history()->broadcast(0).delivered, -1);
    QVERIFY(view.history()->broadcast(0).error.isEmpty());

    // Then the controller's own answers (queued): the first one completes row 0; the
    // second one finds its row already answered and changes nothing.
    QTRY_COMPARE(answers.size(), 3);
    QCOMPARE(answers.at(1).at(3).toULongLong(), first);
    QVERIFY(!view.history()->broadcast(0).error.isEmpty());
    QCOMPARE(view.history()->broadcast(1).delivered, 5);
    QVERIFY(view.history()->broadcast(1).error.isEmpty());
}

void tst_Dashboard::eventStreamShowsAcksWithTheirRequest()
{
    RunningServer server;
    QVERIFY(server.ok());
    EventStreamView view(&server.controller);
    server.controller.setEventTapEnabled(true);
    MiniSocketIoClient client(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(!client.sid().isEmpty(), 5000);

    client.emitWithAck(3, QStringLiteral("set_name"),
                       QJsonObject{ { QStringLiteral("name"), QStringLiteral("Ann") } });
    EventModel *model = view.model();
    const auto rowOf = [model](const QString &type) {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->record(row).type == type && model->record(row).ackId == 3)
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("ack")) >= 0, 5000);
    const int request = rowOf(QStringLiteral("event"));
    const int reply = rowOf(QStringLiteral("ack"));
    QVERIFY(request >= 0);
    QCOMPARE(model->record(request).direction, EventRecord::Direction::In);
    QCOMPARE(model->record(reply).direction, EventRecord::Direction::Out);
    QCOMPARE(model->pairedRow(request), reply);
    QCOMPARE(model->pairedRow(reply), request);
    QVERIFY(model->roundTripMs(request) >= 0);

    // The inspector shows the request with its reply, and jumps from one to the other.
    view.view()->setCurrentIndex(view.proxy()->mapFromSource(model->index(request, 0)));
    const QString text = view.inspector()->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("Event: set_name")), qPrintable(text));
    QVERIFY2(
        text.contains(QStringLiteral("── Reply, %1 ms later ──").arg(model->roundTripMs(request))),
        qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\"ok\": true")), qPrintable(text));
    auto *pairButton = child<QPushButton>(view, "eventPairButton");
    QVERIFY(pairButton->isEnabled());
    // Even when the filter hides the reply.
    child<QComboBox>(view, "eventDirectionFilter")->setCurrentIndex(1); // in only
    QTest::mouseClick(pairButton, Qt::LeftButton);
    QCOMPARE(view.proxy()->mapToSource(view.view()->currentIndex()).row(), reply);
    QVERIFY(view.inspector()->toPlainText().contains(QStringLiteral("── Request, ")));

    // The export carries the round trip on both.
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(view.writeJsonLines(&buffer) > 0);
    int withRoundTrip = 0;
    for (const QByteArray &line : buffer.data().trimmed().split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value(u"ack_id").toInteger(-1) == 3) {
            QCOMPARE(object.value(u"round_trip_ms").toInteger(-1), model->roundTripMs(request));
            ++withRoundTrip;
        }
    }
    QCOMPARE(withRoundTrip, 2);
}

void tst_Dashboard::connectionsTableFollowsTheServer()
{
    RunningServer server;
    QVERIFY(server.ok());
    MainWindow window(&server.controller);
    window.show();
    auto *client = new MiniSocketIoClient(server.port());
    QTRY_VERIFY_WITH_TIMEOUT(!client->sid().isEmpty(), 5000);
    ConnectionsView *connections = window.connectionsView();
    QTRY_COMPARE_WITH_TIMEOUT(connections->model()->rowCount(), 1, 5000);
    QCOMPARE(connections->model()->item(0).id, client->sid());

    // Filtering hides it; the filter is on every column.
    child<QLineEdit>(*connections, "connectionFilterEdit")->setText(QStringLiteral("no-such"));
    QCOMPARE(connections->proxy()->rowCount(), 0);
    child<QLineEdit>(*connections, "connectionFilterEdit")->setText(client->sid().left(5));
    QCOMPARE(connections->proxy()->rowCount(), 1);

    // The event stream sees the connect packet(s).
    QTRY_VERIFY_WITH_TIMEOUT(window.eventStreamView()->model()->rowCount() > 0, 5000);

    delete client;
    QTRY_COMPARE_WITH_TIMEOUT(connections->model()->rowCount(), 0, 5000);
}

void tst_Dashboard::connectionDetailShowsTheHandshake()
{
    RunningServer server;
    QVERIFY(server.ok());
    ConnectionsView view(&server.controller);
    MiniSocketIoClient client(server.port(), QStringLiteral("token=very-secret&room=demo"),
                              { { "X-Client-Kind", "dashboard-test" } });
    QTRY_VERIFY_WITH_TIMEOUT(!client.sid().isEmpty(), 5000);
    const auto refresh = [&] { server.controller.requestConnections(); };
    refresh();
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 5000);
    QVERIFY(view.handshake()->topLevelItemCount() == 0);

    // Selecting it asks for the handshake; the answer fills the tree.
    view.view()->selectRow(0);
    const auto find = [&](const QString &section, const QString &name) -> QTreeWidgetItem * {
        for (int i = 0; i < view.handshake()->topLevelItemCount(); ++i) {
            QTreeWidgetItem *top = view.handshake()->topLevelItem(i);
            if (top->data(0, Qt::UserRole).toString() != section)
                continue;
            for (int j = 0; j < top->childCount(); ++j) {
                if (top->child(j)->text(0).compare(name, Qt::CaseInsensitive) == 0)
                    return top->child(j);
            }
        }
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(find(QStringLiteral("headers"), QStringLiteral("x-client-kind")),
                             5000);
    QCOMPARE(find(QStringLiteral("headers"), QStringLiteral("x-client-kind"))->text(1),
             QStringLiteral("dashboard-test"));
    QVERIFY(find(QStringLiteral("headers"), QStringLiteral("host")));
    QVERIFY(view.handshake()->topLevelItem(0)->text(0).startsWith(u"Request headers ("));
    QCOMPARE(find(QStringLiteral("query"), QStringLiteral("room"))->text(1),
             QStringLiteral("demo"));
    QCOMPARE(find(QStringLiteral("query"), QStringLiteral("transport"))->text(1),
             QStringLiteral("websocket"));
    // The token never reaches the window.
    QCOMPARE(find(QStringLiteral("query"), QStringLiteral("token"))->text(1), QStringLiteral("…"));
    for (QTreeWidgetItem *item : view.handshake()->findItems(
             QStringLiteral("very-secret"), Qt::MatchContains | Qt::MatchRecursive, 1))
        QFAIL(qPrintable(QStringLiteral("token shown in %1").arg(item->text(0))));
    // The remote port is known from the detail answer.
    QVERIFY(
        child<QLabel>(view, "connectionDetails")->text().contains(QStringLiteral("127.0.0.1 : ")));

    // The socket's rooms are listed (a room joined by the operator shows up on refresh).
    server.controller.joinRoom(client.sid(), QStringLiteral("operators-pick"));
    QTRY_VERIFY_WITH_TIMEOUT((refresh(),
                              !child<QListWidget>(view, "connectionRoomList")
                                   ->findItems(QStringLiteral("operators-pick"), Qt::MatchExactly)
                                   .isEmpty()),
                             5000);
}

void tst_Dashboard::settingsDialogGreysOutOverrides()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    QVERIFY(!settings.applyCommandLine(Settings::Key::Port, QStringLiteral("9100")));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("MMV_REDIS"), QStringLiteral("redis://127.0.0.1:6390"));
    QVERIFY(!settings.applyEnvironment(environment));

    SettingsDialog dialog(&settings, nullptr);
    auto *port = qobject_cast<QLineEdit *>(dialog.editor(Settings::Key::Port));
    auto *redis = qobject_cast<QLineEdit *>(dialog.editor(Settings::Key::Redis));
    auto *bind = qobject_cast<QLineEdit *>(dialog.editor(Settings::Key::Bind));
    auto *upload = qobject_cast<QLineEdit *>(dialog.editor(Settings::Key::MaxUpload));
    QVERIFY(port && redis && bind && upload);
    QVERIFY(!port->isEnabled());
    QCOMPARE(port->text(), QStringLiteral("9100"));
    QVERIFY(port->toolTip().contains(QStringLiteral("--port")));
    QVERIFY(!redis->isEnabled());
    QVERIFY(redis->toolTip().contains(QStringLiteral("MMV_REDIS")));
    QVERIFY(bind->isEnabled());
    QVERIFY(dialog.editor(Settings::Key::NoAuth)->isEnabled());

    // Invalid values are refused and nothing is saved.
    upload->setText(QStringLiteral("lots"));
    bind->setText(QStringLiteral("127.0.0.1"));
    QVERIFY(!dialog.save());
    QVERIFY(!child<QLabel>(dialog, "settingsErrorLabel")->text().isEmpty());
    QCOMPARE(settings.source(Settings::Key::Bind), Settings::Source::Default);

    upload->setText(QStringLiteral("512M"));
    QVERIFY(dialog.save());
    QCOMPARE(settings.source(Settings::Key::Bind), Settings::Source::File);
    QCOMPARE(settings.value(Settings::Key::Bind).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(settings.maxUploadBytes(), 512LL * 1024 * 1024);
    QCOMPARE(settings.source(Settings::Key::Port), Settings::Source::CommandLine);

    const QString before = settings.viewerToken();
    QTest::mouseClick(child<QPushButton>(dialog, "regenerateTokensButton"), Qt::LeftButton);
    QVERIFY(settings.viewerToken() != before);
    QCOMPARE(qobject_cast<QLineEdit *>(dialog.editor(Settings::Key::ViewerToken))->text(),
             settings.viewerToken());
}

QTEST_MAIN(tst_Dashboard)
#include "tst_dashboard.moc"
