// The dashboard's models under QAbstractItemModelTester: diffs of live snapshots, the capped
// event ring with pause and resume, filters, video jobs, shots, chat and broadcast history.

#include "ui/models/broadcasthistorymodel.h"
#include "ui/models/chatmodel.h"
#include "ui/models/connectionmodel.h"
#include "ui/models/eventfilterproxymodel.h"
#include "ui/models/eventmodel.h"
#include "ui/models/roommodel.h"
#include "ui/models/shotmodel.h"
#include "ui/models/videomodel.h"
#include "ui/widgets/columnchooser.h"

#include "dashboardtesting.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QJsonArray>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace mmv;
using namespace mmv::ui;
using namespace mmv::testing;

namespace {

ConnectionInfo connection(const QString &id, qint64 messagesIn = 0)
{
    ConnectionInfo c;
    c.id = id;
    c.nsp = QStringLiteral("/");
    c.name = QStringLiteral("name-") + id;
    c.role = QStringLiteral("viewer");
    c.remoteAddress = QStringLiteral("127.0.0.1");
    c.transport = QStringLiteral("websocket");
    c.connectedAt = QDateTime(QDate(2024, 1, 1), QTime(12, 0));
    c.messagesIn = messagesIn;
    return c;
}

QList<ConnectionInfo> connections(const QString &spec)
{
    // "a b:5 c" -> ids with an optional messagesIn count.
    QList<ConnectionInfo> list;
    for (const QString &part : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList fields = part.split(QLatin1Char(':'));
        list.append(connection(fields.at(0), fields.size() > 1 ? fields.at(1).toLongLong() : 0));
    }
    return list;
}

QStringList ids(const ConnectionModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.item(row).id);
    return result;
}

QJsonObject result(const QString &video, const QString &kind, double start, const QJsonObject &data)
{
    return { { QStringLiteral("video_id"), video },
             { QStringLiteral("kind"), kind },
             { QStringLiteral("start"), start },
             { QStringLiteral("data"), data } };
}

QJsonObject chat(const QString &session, const QString &id, int seq, const QString &text)
{
    return { { QStringLiteral("id"), id },
             { QStringLiteral("seq"), seq },
             { QStringLiteral("session_id"), session },
             { QStringLiteral("kind"), QStringLiteral("user") },
             { QStringLiteral("text"), text },
             { QStringLiteral("timestamp"), QStringLiteral("2024-01-01T12:00:00.000Z") },
             { QStringLiteral("author"),
               QJsonObject{ { QStringLiteral("name"), QStringLiteral("Ann") },
                            { QStringLiteral("role"), QStringLiteral("viewer") } } } };
}

} // namespace

class tst_DashboardModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void connectionDiff_data();
    void connectionDiff();
    void connectionDiffAtScale();
    void connectionRoomsLeaveTheOwnRoomOut();
    void columnChooser();
    void roomModel();
    void eventRingDropsOldest();
    void eventPauseKeepsWhatArrives();
    void eventAcksPairWithTheirRequest();
    void eventFilter_data();
    void eventFilter();
    void videoJobs();
    void shotsStaySorted();
    void chatHistoryAndLiveMessages();
    void broadcastHistory();
};

void tst_DashboardModels::connectionDiff_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("after");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("removals");
    QTest::addColumn<int>("insertions");
    QTest::addColumn<int>("changes");

    QTest::addRow("unchanged") << "a b c"
                               << "a b c" << QStringList{ "a", "b", "c" } << 0 << 0 << 0;
    QTest::addRow("one new") << "a b"
                             << "a b c" << QStringList{ "a", "b", "c" } << 0 << 1 << 0;
    QTest::addRow("one gone") << "a b c"
                              << "a c" << QStringList{ "a", "c" } << 1 << 0 << 0;
    QTest::addRow("two runs gone") << "a b c d e"
                                   << "a d" << QStringList{ "a", "d" } << 2 << 0 << 0;
    QTest::addRow("counters, one run")
        << "a b c d"
        << "a b:1 c:2 d" << QStringList{ "a", "b", "c", "d" } << 0 << 0 << 1;
    QTest::addRow("counters, two runs")
        << "a b c d"
        << "a:1 b c d:1" << QStringList{ "a", "b", "c", "d" } << 0 << 0 << 2;
    QTest::addRow("snapshot order ignored")
        << "a b c"
        << "c b a" << QStringList{ "a", "b", "c" } << 0 << 0 << 0;
    QTest::addRow("mixed") << "a b c"
                           << "d b:3 e" << QStringList{ "b", "d", "e" } << 2 << 1 << 1;
    QTest::addRow("all replaced") << "a b"
                                  << "c" << QStringList{ "c" } << 1 << 1 << 0;
    QTest::addRow("to empty") << "a b"
                              << "" << QStringList{} << 1 << 0 << 0;
}

void tst_DashboardModels::connectionDiff()
{
    QFETCH(QString, before);
    QFETCH(QString, after);
    QFETCH(QStringList, expected);
    QFETCH(int, removals);
    QFETCH(int, insertions);
    QFETCH(int, changes);

    ConnectionModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(connections(before));

    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.applySnapshot(connections(after));

    QCOMPARE(ids(model), expected);
    QCOMPARE(removed.size(), removals);
    QCOMPARE(inserted.size(), insertions);
    QCOMPARE(changed.size(), changes);
    QCOMPARE(reset.size(), 0);
    for (const QString &id : expected)
        QCOMPARE(model.item(model.rowOf(id)).id, id);
    QCOMPARE(model.rowOf(QStringLiteral("zz")), -1);
}

void tst_DashboardModels::connectionDiffAtScale()
{
    ConnectionModel model;
    QList<ConnectionInfo> snapshot;
    for (int i = 0; i < 20'000; ++i)
        snapshot.append(connection(QStringLiteral("s%1").arg(i)));
    model.applySnapshot(snapshot);
    QCOMPARE(model.rowCount(), 20'000);

    // Every tenth client sent a message, a hundred left and fifty arrived.
    for (int i = 0; i < snapshot.size(); i += 10)
        snapshot[i].messagesIn = 1;
    snapshot.remove(5000, 100);
    for (int i = 0; i < 50; ++i)
        snapshot.append(connection(QStringLiteral("n%1").arg(i)));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QElapsedTimer timer;
    timer.start();
    model.applySnapshot(snapshot);
    qInfo("diff of 20,000 rows: %lld ms", timer.elapsed());
    QCOMPARE(model.rowCount(), 19'950);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(removed.size(), 1);
    QVERIFY(timer.elapsed() < 500);
}

void tst_DashboardModels::connectionRoomsLeaveTheOwnRoomOut()
{
    // Every socket is in the room named after its id; the table shows the others.
    ConnectionModel model;
    ConnectionInfo c = connection(QStringLiteral("abc"));
    c.rooms = { QStringLiteral("abc"), QStringLiteral("chat:lobby"), QStringLiteral("visual:v_1") };
    model.applySnapshot({ c });
    const QModelIndex rooms = model.index(0, ConnectionModel::RoomsColumn);
    QCOMPARE(rooms.data().toString(), QStringLiteral("chat:lobby, visual:v_1"));
    QCOMPARE(rooms.data(Qt::ToolTipRole).toString(), QStringLiteral("chat:lobby\nvisual:v_1"));
    QCOMPARE(rooms.data(ConnectionModel::SortRole).toInt(), 2);
}

void tst_DashboardModels::columnChooser()
{
    QStandardPaths::setTestModeEnabled(true);
    const QString key = QStringLiteral("test/hiddenColumns");
    QSettings().remove(key);
    QStandardItemModel model(2, 3);
    model.setHorizontalHeaderLabels(
        { QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C") });
    QTableView view;
    view.setModel(&model);
    QHeaderView *header = view.horizontalHeader();
    auto *chooser = new ColumnChooser(header, key, { 1 });
    // The defaults until the operator chooses.
    QVERIFY(!header->isSectionHidden(0) && header->isSectionHidden(1)
            && !header->isSectionHidden(2));
    QCOMPARE(header->contextMenuPolicy(), Qt::CustomContextMenu);

    // The menu: a checkable entry per column as it is now, then "Default Columns".
    QList<QAction *> actions = chooser->menu()->actions();
    QCOMPARE(actions.size(), 5); // A, B, C, separator, defaults
    QCOMPARE(actions.at(0)->text(), QStringLiteral("A"));
    QVERIFY(actions.at(0)->isChecked() && !actions.at(1)->isChecked());
    actions.at(0)->setChecked(false); // hide A
    QVERIFY(header->isSectionHidden(0));
    QCOMPARE(QSettings().value(key).toList(), (QVariantList{ 0, 1 }));

    // Only C is left: it cannot be hidden, from the menu or otherwise.
    actions = chooser->menu()->actions();
    QVERIFY(actions.at(2)->isChecked() && !actions.at(2)->isEnabled());
    chooser->setColumnVisible(2, false);
    QVERIFY(!header->isSectionHidden(2));

    // The choice survives: another table with the same key starts with it.
    QTableView again;
    again.setModel(&model);
    new ColumnChooser(again.horizontalHeader(), key, { 1 });
    QVERIFY(again.horizontalHeader()->isSectionHidden(0));
    QVERIFY(again.horizontalHeader()->isSectionHidden(1));

    // "Default Columns" goes back to the defaults and forgets the choice.
    chooser->menu()->actions().last()->trigger();
    QVERIFY(!header->isSectionHidden(0) && header->isSectionHidden(1));
    QVERIFY(!QSettings().contains(key));

    // A damaged setting that hides everything still leaves a column.
    QSettings().setValue(key, QVariantList{ 0, 1, 2 });
    QTableView damaged;
    damaged.setModel(&model);
    new ColumnChooser(damaged.horizontalHeader(), key, {});
    QVERIFY(!damaged.horizontalHeader()->isSectionHidden(0));
    QSettings().remove(key);
}

void tst_DashboardModels::roomModel()
{
    RoomModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot({ { QStringLiteral("/"), QStringLiteral("chat:lobby"), 2 },
                          { QStringLiteral("/"), QStringLiteral("visual:v1"), 1 } });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RoomModel::KindColumn).data(RoomModel::SortRole).toString(),
             QStringLiteral("chat"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applySnapshot({ { QStringLiteral("/"), QStringLiteral("chat:lobby"), 3 },
                          { QStringLiteral("/"), QStringLiteral("mine"), 1 } });
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RoomModel::MembersColumn).data(RoomModel::SortRole).toInt(), 3);
    QCOMPARE(model.index(1, RoomModel::KindColumn).data(RoomModel::SortRole).toString(),
             QStringLiteral("other"));
    QCOMPARE(RoomModel::kindOf(QStringLiteral("processing:v1")), QStringLiteral("processing"));
}

void tst_DashboardModels::eventRingDropsOldest()
{
    EventModel model(100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QList<EventRecord> batch;
    for (int i = 0; i < 60; ++i)
        batch.append(record(EventRecord::Direction::In, QStringLiteral("e%1").arg(i)));
    model.appendRecords(batch);
    QCOMPARE(inserted.size(), 1);
    model.appendRecords(batch);
    QVERIFY(model.rowCount() <= 100);
    QCOMPARE(model.record(model.rowCount() - 1).event, QStringLiteral("e59"));
    QCOMPARE(model.totalIn(), 120);
    // The newest records survive, in order.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.sequence(row) == model.sequence(row - 1) + 1);

    QList<EventRecord> huge;
    for (int i = 0; i < 250; ++i)
        huge.append(record(EventRecord::Direction::Out, QStringLiteral("h%1").arg(i)));
    model.appendRecords(huge);
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.record(0).event, QStringLiteral("h150"));
    QCOMPARE(model.totalOut(), 250);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_DashboardModels::eventPauseKeepsWhatArrives()
{
    EventModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendRecords({ record(EventRecord::Direction::In, QStringLiteral("before")) });
    model.setPaused(true);
    QSignalSpy pending(&model, &EventModel::pendingCountChanged);
    model.appendRecords({ record(EventRecord::Direction::In, QStringLiteral("p1")),
                          record(EventRecord::Direction::Out, QStringLiteral("p2")) });
    model.appendRecords({ record(EventRecord::Direction::In, QStringLiteral("p3")) });
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.pendingCount(), 3);
    QCOMPARE(pending.last().at(0).toInt(), 3);
    model.setPaused(false);
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.record(1).event, QStringLiteral("p1"));
    QCOMPARE(model.record(3).event, QStringLiteral("p3"));
}

EventRecord ackable(EventRecord::Direction direction, const QString &type, const QString &socket,
                    qint64 ackId, int atMs, const QString &event = {})
{
    EventRecord r = record(direction, event, socket);
    r.type = type;
    r.ackId = ackId;
    r.time = QDateTime(QDate(2024, 1, 1), QTime(12, 0)).addMSecs(atMs);
    return r;
}

void tst_DashboardModels::eventAcksPairWithTheirRequest()
{
    using D = EventRecord::Direction;
    EventModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString a = QStringLiteral("sockA");
    const QString b = QStringLiteral("sockB");
    // Request and reply in one batch; an unrelated ack with the same id on another socket;
    // an ack in the same direction as the request (not its reply).
    model.appendRecords({
        ackable(D::In, QStringLiteral("event"), a, 1, 0, QStringLiteral("join_chat_session")),
        ackable(D::In, QStringLiteral("ack"), b, 1, 3),
        ackable(D::In, QStringLiteral("ack"), a, 1, 4),
        ackable(D::Out, QStringLiteral("ack"), a, 1, 12),
    });
    QCOMPARE(model.pairedRow(0), 3);
    QCOMPARE(model.pairedRow(3), 0);
    QCOMPARE(model.roundTripMs(0), 12);
    QCOMPARE(model.roundTripMs(3), 12);
    QCOMPARE(model.pairedRow(1), -1);
    QCOMPARE(model.pairedRow(2), -1);
    QCOMPARE(model.index(0, 0).data(EventModel::PairedSequenceRole).toLongLong(),
             model.sequence(3));
    QCOMPARE(model.index(3, 0).data(EventModel::RoundTripRole).toLongLong(), 12);
    QVERIFY(model.index(0, EventModel::TypeColumn).data().toString().contains(u"12 ms"));
    QVERIFY(model.index(3, EventModel::TypeColumn).data().toString().contains(u"12 ms"));

    // The server asks, the client answers in a later batch: the request row is updated.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.appendRecords(
        { ackable(D::Out, QStringLiteral("event"), b, 7, 100, QStringLiteral("confirm")) });
    QCOMPARE(model.pairedRow(4), -1);
    QCOMPARE(model.index(4, 0).data(EventModel::RoundTripRole).toLongLong(), -1);
    model.appendRecords({ ackable(D::In, QStringLiteral("binary_ack"), b, 7, 150) });
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 4);
    QCOMPARE(model.pairedRow(4), 5);
    QCOMPARE(model.roundTripMs(4), 50);

    // Pairing works while paused: the reply waits with its pair already known.
    model.appendRecords({ ackable(D::In, QStringLiteral("event"), a, 2, 200,
                                  QStringLiteral("send_chat_message")) });
    model.setPaused(true);
    model.appendRecords({ ackable(D::Out, QStringLiteral("ack"), a, 2, 230) });
    QCOMPARE(model.roundTripMs(6), 30);
    QCOMPARE(model.pairedRow(6), -1); // the reply is not shown yet
    model.setPaused(false);
    QCOMPARE(model.pairedRow(6), 7);

    // A request that left the ring leaves its late reply unpaired.
    EventModel small(10);
    QAbstractItemModelTester smallTester(&small,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    small.appendRecords({ ackable(D::In, QStringLiteral("event"), a, 9, 0, QStringLiteral("x")) });
    QList<EventRecord> filler;
    for (int i = 0; i < 20; ++i)
        filler.append(record(D::Out, QStringLiteral("f%1").arg(i)));
    small.appendRecords(filler);
    small.appendRecords({ ackable(D::Out, QStringLiteral("ack"), a, 9, 500) });
    QCOMPARE(small.pairedRow(small.rowCount() - 1), -1);
    QCOMPARE(small.roundTripMs(small.rowCount() - 1), -1);

    // Requests whose ack never comes are forgotten once they left the ring.
    QList<EventRecord> unanswered;
    for (int i = 0; i < 50; ++i)
        unanswered.append(
            ackable(D::In, QStringLiteral("event"), a, 100 + i, i, QStringLiteral("x")));
    small.appendRecords(unanswered);
    QVERIFY2(small.awaitingAckCount() <= 2 * small.capacity(),
             qPrintable(QString::number(small.awaitingAckCount())));
    // Also while paused, batch after batch.
    EventModel paused(10);
    paused.appendRecords({ ackable(D::In, QStringLiteral("event"), a, 1, 0, QStringLiteral("x")) });
    paused.setPaused(true);
    for (int i = 0; i < 30; ++i)
        paused.appendRecords(
            { ackable(D::In, QStringLiteral("event"), b, 1000 + i, i, QStringLiteral("y")) });
    QVERIFY2(paused.awaitingAckCount() <= 2 * paused.capacity(),
             qPrintable(QString::number(paused.awaitingAckCount())));
    // The ones still shown can be answered.
    small.appendRecords({ ackable(D::Out, QStringLiteral("ack"), a, 149, 900) });
    QCOMPARE(small.pairedRow(small.rowCount() - 1), small.rowCount() - 2);
}

void tst_DashboardModels::eventFilter_data()
{
    QTest::addColumn<int>("direction");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("room");
    QTest::addColumn<QString>("socket");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::addRow("everything") << 0 << ""
                                << ""
                                << ""
                                << ""
                                << QStringList{ "chat_message", "notification", "set_name",
                                                "processing_status" };
    QTest::addRow("in only") << 1 << ""
                             << ""
                             << ""
                             << "" << QStringList{ "chat_message", "set_name" };
    QTest::addRow("out only") << 2 << ""
                              << ""
                              << ""
                              << "" << QStringList{ "notification", "processing_status" };
    QTest::addRow("event substring") << 0 << "STATUS"
                                     << ""
                                     << ""
                                     << "" << QStringList{ "processing_status" };
    QTest::addRow("room") << 0 << ""
                          << "processing:"
                          << ""
                          << "" << QStringList{ "processing_status" };
    QTest::addRow("socket") << 0 << ""
                            << ""
                            << "abc"
                            << "" << QStringList{ "chat_message", "set_name" };
    QTest::addRow("text in payload") << 0 << ""
                                     << ""
                                     << ""
                                     << "hello" << QStringList{ "chat_message" };
    QTest::addRow("combined, none") << 2 << "chat"
                                    << ""
                                    << ""
                                    << "" << QStringList{};
}

void tst_DashboardModels::eventFilter()
{
    QFETCH(int, direction);
    QFETCH(QString, event);
    QFETCH(QString, room);
    QFETCH(QString, socket);
    QFETCH(QString, text);
    QFETCH(QStringList, expected);

    EventModel model;
    EventFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendRecords(
        { record(EventRecord::Direction::In, QStringLiteral("chat_message"), QStringLiteral("abc1"),
                 {}, QStringLiteral("{\"text\":\"Hello there\"}")),
          record(EventRecord::Direction::Out, QStringLiteral("notification"), {}, {}),
          record(EventRecord::Direction::In, QStringLiteral("set_name"), QStringLiteral("abc2")),
          record(EventRecord::Direction::Out, QStringLiteral("processing_status"), {},
                 { QStringLiteral("processing:v1") }) });
    proxy.setDirection(EventFilterProxyModel::Direction(direction));
    proxy.setEventFilter(event);
    proxy.setRoomFilter(room);
    proxy.setSocketFilter(socket);
    proxy.setTextFilter(text);
    QStringList shown;
    for (int row = 0; row < proxy.rowCount(); ++row)
        shown.append(proxy.index(row, EventModel::EventColumn).data().toString());
    QCOMPARE(shown, expected);

    // New records go through the same filter.
    model.appendRecords({ record(EventRecord::Direction::Out, QStringLiteral("zzz")) });
    const bool zShown = proxy.rowCount() > shown.size();
    QCOMPARE(zShown,
             direction != 1 && event.isEmpty() && room.isEmpty() && socket.isEmpty()
                 && text.isEmpty());
}

void tst_DashboardModels::videoJobs()
{
    VideoModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    VideoInfo a;
    a.id = QStringLiteral("va");
    a.fileName = QStringLiteral("a.mp4");
    a.durationSeconds = 12;
    VideoInfo b = a;
    b.id = QStringLiteral("vb");
    b.fileName = QStringLiteral("b.mp4");
    model.setVideos({ a, b });
    QCOMPARE(model.rowCount(), 2);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.applyStatus({ { QStringLiteral("video_id"), QStringLiteral("vb") },
                        { QStringLiteral("state"), QStringLiteral("running") },
                        { QStringLiteral("stage"), QStringLiteral("decoding") },
                        { QStringLiteral("progress"), 0.25 } });
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(1, 0).data(VideoModel::ProgressRole).toDouble(), 0.25);
    model.applyStatus({ { QStringLiteral("video_id"), QStringLiteral("unknown") } });
    QCOMPARE(changed.size(), 1);

    // A new listing keeps the job state of known videos.
    VideoInfo c = a;
    c.id = QStringLiteral("vc");
    model.setVideos({ b, c });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.item(model.rowOf(QStringLiteral("vb"))).state, QStringLiteral("running"));
    model.addVideo(a);
    QCOMPARE(model.rowCount(), 3);
    model.removeVideo(QStringLiteral("vb"));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("vb")), -1);
    QCOMPARE(model.item(model.rowOf(QStringLiteral("va"))).info.fileName, QStringLiteral("a.mp4"));
}

void tst_DashboardModels::shotsStaySorted()
{
    ShotModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVideo(QStringLiteral("v1"));
    QVERIFY(model.applyResult(
        result(QStringLiteral("v1"), QStringLiteral("shot"), 4.0,
               { { QStringLiteral("index"), 1 }, { QStringLiteral("keyframe"), 1 } })));
    QVERIFY(model.applyResult(
        result(QStringLiteral("v1"), QStringLiteral("shot"), 0.0,
               { { QStringLiteral("index"), 0 }, { QStringLiteral("keyframe"), 0 } })));
    QVERIFY(model.applyResult(
        result(QStringLiteral("v1"), QStringLiteral("faces"), 0.0,
               { { QStringLiteral("shot"), 1 }, { QStringLiteral("count"), 2 } })));
    QVERIFY(!model.applyResult(result(QStringLiteral("v2"), QStringLiteral("shot"), 0.0, {})));
    QVERIFY(!model.applyResult(result(QStringLiteral("v1"), QStringLiteral("colors"), 0.0, {})));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.shot(0).index, 0);
    QCOMPARE(model.shot(1).index, 1);
    QCOMPARE(model.index(1).data(ShotModel::FacesRole).toInt(), 2);
    QCOMPARE(model.index(1).data(ShotModel::StartRole).toDouble(), 4.0);
    model.setVideo(QStringLiteral("v2"));
    QCOMPARE(model.rowCount(), 0);
}

void tst_DashboardModels::chatHistoryAndLiveMessages()
{
    ChatModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!model.appendMessage(chat(QStringLiteral("lobby"), QStringLiteral("m0"), 1, "x")));
    model.setHistory(
        QStringLiteral("lobby"),
        { chat(QStringLiteral("lobby"), QStringLiteral("m2"), 2, QStringLiteral("b")),
          chat(QStringLiteral("lobby"), QStringLiteral("m1"), 1, QStringLiteral("a")) });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0).data(ChatModel::TextRole).toString(), QStringLiteral("a"));
    QVERIFY(model.appendMessage(chat(QStringLiteral("lobby"), QStringLiteral("m3"), 3, "c")));
    QVERIFY(!model.appendMessage(chat(QStringLiteral("lobby"), QStringLiteral("m3"), 3, "c")));
    QVERIFY(!model.appendMessage(chat(QStringLiteral("other"), QStringLiteral("m4"), 4, "d")));
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(model.index(2).data().toString().contains(QStringLiteral("Ann: c")));
    model.clear();
    QCOMPARE(model.rowCount(), 0);

    // Batches: other sessions and duplicates are skipped; only the newest MaxMessages stay.
    model.setHistory(QStringLiteral("lobby"), {});
    QList<QJsonObject> batch;
    for (int seq = 1; seq <= ChatModel::MaxMessages + 10; ++seq)
        batch.append(chat(QStringLiteral("lobby"), QStringLiteral("b%1").arg(seq), seq, "t"));
    batch.append(chat(QStringLiteral("other"), QStringLiteral("o1"), 1, "x"));
    batch.append(batch.last()); // the "other" one again
    batch.append(batch.first()); // a duplicate id
    QCOMPARE(model.appendMessages(batch), ChatModel::MaxMessages + 10);
    QCOMPARE(model.rowCount(), ChatModel::MaxMessages);
    QCOMPARE(model.index(0).data(ChatModel::SeqRole).toInt(), 11);
    // Ids of kept messages are still known after the trim.
    QVERIFY(!model.appendMessage(chat(QStringLiteral("lobby"), QStringLiteral("b20"), 20, "t")));
}

void tst_DashboardModels::broadcastHistory()
{
    BroadcastHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    BroadcastHistoryModel::Broadcast b;
    b.time = QDateTime::currentDateTimeUtc();
    b.event = QStringLiteral("notification");
    b.requestId = 7;
    model.append(b);
    b.room = QStringLiteral("chat:lobby");
    b.requestId = 8;
    model.append(b);
    QCOMPARE(model.index(0, BroadcastHistoryModel::DeliveredColumn).data().toString(),
             QStringLiteral("sending…"));

    // Answers match by request id, in whatever order they come.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.finish(8, 0, QStringLiteral("boom")));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 1);
    QCOMPARE(model.broadcast(0).delivered, -1);
    QVERIFY(model.finish(7, 3, {}));
    QVERIFY(!model.finish(7, 1, {})); // answered already
    QVERIFY(!model.finish(99, 1, {})); // another request's answer
    QVERIFY(!model.finish(0, 1, {}));
    QCOMPARE(model.broadcast(0).delivered, 3);
    QCOMPARE(model.broadcast(1).error, QStringLiteral("boom"));
    QCOMPARE(model.broadcast(1).delivered, 0);
    QCOMPARE(model.index(0, BroadcastHistoryModel::DeliveredColumn).data().toString(),
             QStringLiteral("3"));
    QCOMPARE(model.index(1, BroadcastHistoryModel::DeliveredColumn).data().toString(),
             QStringLiteral("Error: boom"));

    for (int i = 0; i < BroadcastHistoryModel::Capacity; ++i) {
        b.requestId = 100 + quint64(i);
        model.append(b);
    }
    QCOMPARE(model.rowCount(), BroadcastHistoryModel::Capacity);
    QCOMPARE(model.rowOf(7), -1); // fell out of the history
    QCOMPARE(model.rowOf(100 + BroadcastHistoryModel::Capacity - 1),
             BroadcastHistoryModel::Capacity - 1);
}

QTEST_MAIN(tst_DashboardModels)
#include "tst_dashboardmodels.moc"
