#include "server/core/logging.h"
#include "server/core/loghub.h"
#include "server/core/servercontroller.h"
#include "ui/latencyprobe.h"
#include "ui/mainwindow.h"
#include "ui/models/logfilterproxymodel.h"
#include "ui/models/logmodel.h"
#include "ui/models/videomodel.h"
#include "ui/translator.h"
#include "ui/widgets/logpanel.h"
#include "ui/widgets/qrcodewidget.h"
#include "ui/widgets/statuslight.h"
#include "ui/widgets/videosview.h"
#include "ui/widgets/viewerlinkpanel.h"

#include "dashboardtesting.h"
#include "ffmpegclips.h"
#include "localserver.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <algorithm>

using namespace mmv;
using namespace mmv::ui;
using namespace mmv::testing;

namespace {

ServerState listeningState()
{
    ServerState state;
    state.status = ServerState::Status::Listening;
    state.bindAddress = QHostAddress(QHostAddress::AnyIPv4);
    state.port = 8765;
    state.urls
        = { QStringLiteral("http://192.168.1.20:8765/"), QStringLiteral("http://127.0.0.1:8765/") };
    state.storage = QStringLiteral("file");
    state.startedAt = QDateTime::currentDateTimeUtc();
    return state;
}

QString uniqueText(const char *prefix)
{
    return QString::fromLatin1(prefix) + QLatin1Char(' ')
        + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

/// Row of the view's (filtered) model whose message is `message`, or -1.
int rowWithMessage(const QAbstractItemModel *model, const QString &message)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, LogModel::MessageColumn).data().toString() == message)
            return row;
    }
    return -1;
}

QList<LogEntry> makeEntries(int first, int count, QtMsgType type = QtWarningMsg)
{
    QList<LogEntry> entries;
    for (int i = first; i < first + count; ++i) {
        LogEntry entry;
        entry.sequence = i + 1;
        entry.time = QDateTime::currentDateTimeUtc();
        entry.type = type;
        entry.category = QStringLiteral("mmv.test");
        entry.message = QStringLiteral("entry %1").arg(i);
        entries.append(entry);
    }
    return entries;
}

} // namespace

/// Stands in for the web browser: QDesktopServices hands http URLs to it.
class UrlCatcher : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls.append(url); }
};

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void showsStoppedInitially();
    void showsListeningState();
    void showsStatsWhileListening();
    void showsFailure();
    void opensViewerLinkInBrowser();
    void viewerLinkPanel_data();
    void viewerLinkPanel();
    void operatorTokenIsHiddenUntilShown();
    void showsWarningsFromTheWholeProcess();
    void filtersErrorsOnlyAndClears();
    void logModelInsertsOneBatchAtATime();
    void logModelDropsOldestRows();
    void autoScrollStopsWhenScrolledUp();
    void restoresGeometryAndSplitters();
    void germanTranslation();
    void unknownLanguageFails();
    void latencyProbeMeasuresABlockedEventLoop();
    void droppedVideoIsAnnounced();
    void stopAddingCancelsTheAdd();
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MultiModelVideo"));
    QCoreApplication::setApplicationName(QStringLiteral("multimodelvideo-tst_mainwindow"));
    registerServerMetaTypes();
    LogHub::install();
    QVERIFY(installTranslations(*qApp, QStringLiteral("en")));
}

void TestMainWindow::init()
{
    QSettings().clear();
}

void TestMainWindow::cleanupTestCase()
{
    QSettings().clear();
    installTranslations(*qApp, QStringLiteral("en"));
}

void TestMainWindow::showsStoppedInitially()
{
    ServerController controller;
    MainWindow window(&controller);

    auto *status = child<QLabel>(window, "statusLabel");
    QVERIFY(status);
    QCOMPARE(status->text(), QStringLiteral("Stopped"));
    QCOMPARE(child<QLabel>(window, "statusBarStateLabel")->text(), QStringLiteral("Stopped"));
    QCOMPARE(child<QListWidget>(window, "urlList")->count(), 0);
    QVERIFY(child<QLineEdit>(window, "viewerLinkEdit")->text().isEmpty());
    QVERIFY(!child<QPushButton>(window, "copyViewerLinkButton")->isEnabled());
    QVERIFY(!child<QPushButton>(window, "copyUrlButton")->isEnabled());
    QVERIFY(child<QLabel>(window, "errorLabel")->isHidden());
    QCOMPARE(window.findChild<StatusLight *>()->color(),
             StatusLight::colorFor(ServerState::Status::Stopped));
}

void TestMainWindow::showsListeningState()
{
    ServerController controller;
    MainWindow window(&controller);
    const ServerState state = listeningState();
    Q_EMIT controller.stateChanged(state);

    QCOMPARE(child<QLabel>(window, "statusLabel")->text(), QStringLiteral("Listening"));
    QCOMPARE(window.findChild<StatusLight *>()->color(),
             StatusLight::colorFor(ServerState::Status::Listening));
    QCOMPARE(child<QLabel>(window, "portLabel")->text(), QStringLiteral("8765"));
    // The address a LAN viewer uses (the first URL), all of them in the tooltip.
    QCOMPARE(child<QLabel>(window, "statusBarAddressLabel")->text(),
             QStringLiteral("Address: 192.168.1.20:8765"));
    QVERIFY(child<QLabel>(window, "statusBarAddressLabel")
                ->toolTip()
                .contains(QLatin1String("http://127.0.0.1:8765/")));
    QVERIFY(child<QLabel>(window, "bindAddressLabel")->text().contains(QLatin1String("0.0.0.0")));

    auto *urlList = child<QListWidget>(window, "urlList");
    QStringList shown;
    for (int row = 0; row < urlList->count(); ++row)
        shown.append(urlList->item(row)->text());
    QCOMPARE(shown, state.urls);

    auto *link = child<QLineEdit>(window, "viewerLinkEdit");
    QCOMPARE(link->text(), state.viewerLink(controller.config().viewerToken));
    QVERIFY(link->text().startsWith(QLatin1String("http://192.168.1.20:8765/")));

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(window, "copyViewerLinkButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), link->text());

    urlList->setCurrentRow(1);
    QTest::mouseClick(child<QPushButton>(window, "copyUrlButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("http://127.0.0.1:8765/"));

    // A later state replaces the list rather than appending to it.
    ServerState fewer = state;
    fewer.urls = { QStringLiteral("http://10.0.0.5:8765/") };
    Q_EMIT controller.stateChanged(fewer);
    QCOMPARE(urlList->count(), 1);
    QCOMPARE(urlList->item(0)->text(), fewer.urls.first());
    QCOMPARE(link->text(), QStringLiteral("http://10.0.0.5:8765/"));
}

void TestMainWindow::showsStatsWhileListening()
{
    ServerController controller;
    MainWindow window(&controller);
    Q_EMIT controller.stateChanged(listeningState());

    ServerStats stats;
    stats.uptimeSeconds = 3725;
    stats.webSocketConnections = 3;
    stats.realtimeClients = 4;
    stats.httpConnections = 2;
    stats.requestsTotal = 42;
    stats.bytesIn = 512;
    stats.bytesOut = 3 * 1024 * 1024;
    Q_EMIT controller.statsUpdated(stats);

    QCOMPARE(child<QLabel>(window, "uptimeLabel")->text(), QStringLiteral("01:02:05"));
    QCOMPARE(child<QLabel>(window, "connectionsLabel")->text(),
             QStringLiteral("4 live clients, 2 HTTP connections"));
    QCOMPARE(child<QLabel>(window, "requestsLabel")->text(), QStringLiteral("42"));
    QCOMPARE(child<QLabel>(window, "trafficLabel")->text(),
             QStringLiteral("512 B received, %1 sent").arg(QLocale().formattedDataSize(3 << 20)));
    QCOMPARE(child<QLabel>(window, "statusBarConnectionsLabel")->text(),
             QStringLiteral("Connections: 4"));
    QCOMPARE(child<QLabel>(window, "statusBarUptimeLabel")->text(),
             QStringLiteral("Uptime: 01:02:05"));

    // One sample gives no rate yet; the next one, 2 s of the server's clock later, does.
    auto *messages = child<QLabel>(window, "statusBarMessagesLabel");
    QCOMPARE(messages->text(), QStringLiteral("Messages/s: —"));
    stats.uptimeMs = 10'000;
    stats.messagesIn = 1000;
    stats.messagesOut = 500;
    Q_EMIT controller.statsUpdated(stats);
    QCOMPARE(messages->text(), QStringLiteral("Messages/s: —"));
    stats.uptimeMs = 12'000;
    stats.messagesIn = 1000 + 2 * 1500;
    stats.messagesOut = 500 + 2 * 12'000;
    Q_EMIT controller.statsUpdated(stats);
    QCOMPARE(messages->text(),
             QStringLiteral("Messages/s: %1 in, %2 out")
                 .arg(QLocale().toString(1500), QLocale().toString(12'000)));

    stats.uptimeSeconds = 2 * 86400 + 5;
    Q_EMIT controller.statsUpdated(stats);
    QCOMPARE(child<QLabel>(window, "uptimeLabel")->text(), QStringLiteral("2 d 00:00:05"));
}

void TestMainWindow::showsFailure()
{
    ServerController controller;
    MainWindow window(&controller);
    Q_EMIT controller.stateChanged(listeningState());
    ServerStats stats;
    stats.webSocketConnections = 7;
    Q_EMIT controller.statsUpdated(stats);

    ServerState failed;
    failed.status = ServerState::Status::Failed;
    failed.error = QStringLiteral("Port 8765 is already in use");
    Q_EMIT controller.stateChanged(failed);

    QCOMPARE(child<QLabel>(window, "statusLabel")->text(), QStringLiteral("Failed"));
    auto *error = child<QLabel>(window, "errorLabel");
    QVERIFY(!error->isHidden());
    QCOMPARE(error->text(), failed.error);
    QCOMPARE(window.findChild<StatusLight *>()->color(),
             StatusLight::colorFor(ServerState::Status::Failed));
    QCOMPARE(child<QListWidget>(window, "urlList")->count(), 0);
    QVERIFY(child<QLineEdit>(window, "viewerLinkEdit")->text().isEmpty());
    QVERIFY(!child<QPushButton>(window, "openViewerLinkButton")->isEnabled());
    QVERIFY(child<QrCodeWidget>(window, "viewerQrCode")->isHidden());
    QCOMPARE(child<QrCodeWidget>(window, "viewerQrCode")->moduleCount(), 0);
    // Counters of the previous run must not linger.
    QCOMPARE(child<QLabel>(window, "connectionsLabel")->text(), QStringLiteral("—"));
    QCOMPARE(child<QLabel>(window, "statusBarConnectionsLabel")->text(),
             QStringLiteral("Connections: —"));
    QCOMPARE(child<QLabel>(window, "statusBarMessagesLabel")->text(),
             QStringLiteral("Messages/s: —"));
}

void TestMainWindow::opensViewerLinkInBrowser()
{
    UrlCatcher browser;
    QDesktopServices::setUrlHandler(QStringLiteral("http"), &browser, "open");
    ServerController controller;
    MainWindow window(&controller);
    Q_EMIT controller.stateChanged(listeningState());

    QTest::mouseClick(child<QPushButton>(window, "openViewerLinkButton"), Qt::LeftButton);
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));

    QCOMPARE(browser.urls.size(), 1);
    QCOMPARE(browser.urls.first().toString(), child<QLineEdit>(window, "viewerLinkEdit")->text());
}

void TestMainWindow::viewerLinkPanel_data()
{
    QTest::addColumn<bool>("noAuth");
    QTest::addColumn<QString>("expectedLink");
    QTest::addColumn<bool>("bannerShown");
    QTest::addColumn<bool>("operatorTokenShown");

    QTest::addRow("tokens") << false << QStringLiteral("http://192.168.1.20:8765/?token=v-123")
                            << false << true;
    QTest::addRow("no-auth") << true << QStringLiteral("http://192.168.1.20:8765/") << true
                             << false;
}

void TestMainWindow::viewerLinkPanel()
{
    QFETCH(bool, noAuth);
    QFETCH(QString, expectedLink);
    QFETCH(bool, bannerShown);
    QFETCH(bool, operatorTokenShown);

    ServerConfig config;
    config.viewerToken = QStringLiteral("v-123");
    config.operatorToken = QStringLiteral("op-456");
    config.noAuth = noAuth;

    ViewerLinkPanel panel;
    panel.setState(listeningState(), config);

    QCOMPARE(child<QLineEdit>(panel, "viewerLinkEdit")->text(), expectedLink);
    QCOMPARE(panel.viewerLink(), expectedLink);
    auto *qr = child<QrCodeWidget>(panel, "viewerQrCode");
    QCOMPARE(qr->text(), expectedLink);
    QVERIFY(qr->moduleCount() >= 21); // version 1 is 21 modules a side
    QCOMPARE(qr->image().width(), qr->moduleCount() + 8);
    QVERIFY(!qr->isHidden());
    QCOMPARE(child<QWidget>(panel, "noAuthBanner")->isHidden(), !bannerShown);
    QCOMPARE(child<QLineEdit>(panel, "operatorTokenEdit")->isVisibleTo(&panel), operatorTokenShown);

    // The banner goes away again when authentication comes back.
    config.noAuth = false;
    panel.setState(listeningState(), config);
    QVERIFY(child<QWidget>(panel, "noAuthBanner")->isHidden());
}

void TestMainWindow::operatorTokenIsHiddenUntilShown()
{
    ServerConfig config;
    config.operatorToken = QStringLiteral("op-456");
    ViewerLinkPanel panel;
    panel.setState(listeningState(), config);

    auto *token = child<QLineEdit>(panel, "operatorTokenEdit");
    auto *show = child<QPushButton>(panel, "showOperatorTokenButton");
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(token->echoMode(), QLineEdit::Normal);
    QCOMPARE(token->text(), QStringLiteral("op-456"));
    QCOMPARE(show->text(), QStringLiteral("Hide"));
    QTest::mouseClick(show, Qt::LeftButton);
    QCOMPARE(token->echoMode(), QLineEdit::Password);

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(child<QPushButton>(panel, "copyOperatorTokenButton"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("op-456"));
}

void TestMainWindow::showsWarningsFromTheWholeProcess()
{
    ServerController controller;
    MainWindow window(&controller);
    auto *view = child<QTableView>(window, "logView");
    QVERIFY(view);

    const QString message = uniqueText("something");
    QTest::ignoreMessage(QtWarningMsg, qPrintable(message));
    qCWarning(lcUi).noquote() << message;

    QTRY_VERIFY(rowWithMessage(view->model(), message) >= 0);
    const int row = rowWithMessage(view->model(), message);
    const QAbstractItemModel *model = view->model();
    QCOMPARE(model->index(row, LogModel::LevelColumn).data().toString(), QStringLiteral("Warning"));
    QCOMPARE(model->index(row, LogModel::CategoryColumn).data().toString(),
             QStringLiteral("mmv.ui"));
    const QString time = model->index(row, LogModel::TimeColumn).data().toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d$")).match(time).hasMatch(),
             qPrintable(time));

    // Messages logged from another thread arrive too.
    const QString fromThread = uniqueText("from a worker");
    QTest::ignoreMessage(QtCriticalMsg, qPrintable(fromThread));
    QThread *thread = QThread::create([fromThread] { qCCritical(lcUi).noquote() << fromThread; });
    thread->start();
    QVERIFY(thread->wait(5000));
    delete thread;
    QTRY_VERIFY(rowWithMessage(view->model(), fromThread) >= 0);
    QCOMPARE(
        model->index(rowWithMessage(model, fromThread), LogModel::LevelColumn).data().toString(),
        QStringLiteral("Error"));
}

void TestMainWindow::filtersErrorsOnlyAndClears()
{
    ServerController controller;
    MainWindow window(&controller);
    LogPanel *panel = window.logPanel();
    auto *view = child<QTableView>(window, "logView");
    QAbstractItemModel *shown = view->model();

    const QString warning = uniqueText("a warning");
    const QString error = uniqueText("an error");
    QTest::ignoreMessage(QtWarningMsg, qPrintable(warning));
    QTest::ignoreMessage(QtCriticalMsg, qPrintable(error));
    qCWarning(lcUi).noquote() << warning;
    qCCritical(lcUi).noquote() << error;
    QTRY_VERIFY(rowWithMessage(shown, error) >= 0);
    QVERIFY(rowWithMessage(shown, warning) >= 0);

    auto *emptyLabel = child<QLabel>(window, "logEmptyLabel");
    QVERIFY(emptyLabel->isHidden());

    auto *filter = child<QComboBox>(window, "logLevelFilter");
    filter->setCurrentIndex(1);
    QVERIFY(rowWithMessage(shown, warning) < 0);
    QVERIFY(rowWithMessage(shown, error) >= 0);
    for (int row = 0; row < shown->rowCount(); ++row)
        QCOMPARE(shown->index(row, LogModel::LevelColumn).data().toString(),
                 QStringLiteral("Error"));
    filter->setCurrentIndex(0);
    QVERIFY(rowWithMessage(shown, warning) >= 0);

    child<QLineEdit>(window, "logSearchEdit")->setText(error.right(12));
    QCOMPARE(shown->rowCount(), 1);
    child<QLineEdit>(window, "logSearchEdit")->setText(QStringLiteral("no line has this text"));
    QCOMPARE(shown->rowCount(), 0);
    QVERIFY(!emptyLabel->isHidden());
    child<QLineEdit>(window, "logSearchEdit")->clear();
    QVERIFY(emptyLabel->isHidden());

    QTest::mouseClick(child<QPushButton>(window, "clearLogButton"), Qt::LeftButton);
    QCOMPARE(panel->model()->rowCount(), 0);
    QCOMPARE(shown->rowCount(), 0);

    // Cleared lines stay cleared; new ones still arrive.
    const QString later = uniqueText("later");
    QTest::ignoreMessage(QtWarningMsg, qPrintable(later));
    qCWarning(lcUi).noquote() << later;
    QTRY_COMPARE(shown->rowCount(), 1);
    QCOMPARE(shown->index(0, LogModel::MessageColumn).data().toString(), later);

    // View > Clear log does the same as the button.
    const auto actions = window.findChildren<QAction *>(QStringLiteral("clearLogAction"));
    QCOMPARE(actions.size(), 1);
    actions.first()->trigger();
    QCOMPARE(shown->rowCount(), 0);
}

void TestMainWindow::logModelInsertsOneBatchAtATime()
{
    LogModel model;
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendEntries(makeEntries(0, 100));
    model.appendEntries(makeEntries(100, 50));
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(model.rowCount(), 150);
    QCOMPARE(model.index(149, LogModel::MessageColumn).data().toString(),
             QStringLiteral("entry 149"));
    QCOMPARE(model.index(0, 0).data(LogModel::TypeRole).toInt(), int(QtWarningMsg));
}

void TestMainWindow::logModelDropsOldestRows()
{
    LogModel model(100);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (int batch = 0; batch < 25; ++batch)
        model.appendEntries(makeEntries(batch * 10, 10));

    QVERIFY(model.rowCount() <= 100);
    QVERIFY(model.rowCount() >= 90);
    QCOMPARE(model.index(model.rowCount() - 1, LogModel::MessageColumn).data().toString(),
             QStringLiteral("entry 249"));
    // Oldest first, contiguous: nothing in the middle was lost.
    const int first = model.entry(0).sequence;
    for (int row = 0; row < model.rowCount(); ++row)
        QCOMPARE(model.entry(row).sequence, first + row);
    // Removal happens in chunks, not once per batch.
    QVERIFY2(removed.size() < 10, qPrintable(QString::number(removed.size())));

    // A batch larger than the capacity keeps only its newest entries.
    model.appendEntries(makeEntries(1000, 500));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.entry(0).message, QStringLiteral("entry 1400"));
    QCOMPARE(model.entry(99).message, QStringLiteral("entry 1499"));
}

void TestMainWindow::autoScrollStopsWhenScrolledUp()
{
    ServerController controller;
    MainWindow window(&controller);
    window.resize(900, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *view = child<QTableView>(window, "logView");
    QScrollBar *bar = view->verticalScrollBar();
    LogModel *model = window.logPanel()->model();

    model->appendEntries(makeEntries(0, 300));
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    model->appendEntries(makeEntries(300, 50));
    QTRY_COMPARE(bar->value(), bar->maximum());
    const int bottom = bar->value();
    QVERIFY(bottom > 0);

    // The user scrolls up to read: new lines must not yank the view away.
    bar->setValue(10);
    model->appendEntries(makeEntries(350, 50));
    QCoreApplication::processEvents();
    QCOMPARE(bar->value(), 10);
    QVERIFY(bar->maximum() > bottom);

    // Back at the bottom, following resumes.
    bar->setValue(bar->maximum());
    model->appendEntries(makeEntries(400, 50));
    QTRY_COMPARE(bar->value(), bar->maximum());
    QCOMPARE(view->indexAt(QPoint(5, view->viewport()->height() - 3)).row(),
             view->model()->rowCount() - 1);
}

void TestMainWindow::restoresGeometryAndSplitters()
{
    QList<int> splitterSizes;
    {
        ServerController controller;
        MainWindow window(&controller);
        window.resize(930, 640);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *splitter = child<QSplitter>(window, "mainSplitter");
        const QList<int> sizes = splitter->sizes();
        QCOMPARE(sizes.size(), 2);
        splitter->setSizes({ sizes[0] + 40, sizes[1] - 40 });
        splitterSizes = splitter->sizes();
        QVERIFY(window.close());
    }
    QVERIFY(QSettings().contains(QStringLiteral("mainWindow/geometry")));

    ServerController controller;
    MainWindow window(&controller);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), QSize(930, 640));
    QTRY_COMPARE(child<QSplitter>(window, "mainSplitter")->sizes(), splitterSizes);
}

void TestMainWindow::germanTranslation()
{
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/multimodelvideo_de.qm")));
    QVERIFY(installTranslations(*qApp, QStringLiteral("de")));
    {
        ServerController controller;
        MainWindow window(&controller);
        QCOMPARE(window.windowTitle(), QStringLiteral("MultiModelVideo — Bedienkonsole"));
        const QList<QAction *> menus = window.menuBar()->actions();
        QVERIFY(menus.size() >= 3);
        QCOMPARE(menus.at(0)->text(), QStringLiteral("&Datei"));
        QCOMPARE(child<QLabel>(window, "statusLabel")->text(), QStringLiteral("Gestoppt"));
        QCOMPARE(child<QTableView>(window, "logView")
                     ->model()
                     ->headerData(LogModel::MessageColumn, Qt::Horizontal),
                 QStringLiteral("Meldung"));
    }

    // Qt's own strings (standard buttons, ...) follow when qtbase's translation is installed.
    if (QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath)
                      + QStringLiteral("/qtbase_de.qm"))) {
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "&Yes"), QStringLiteral("&Ja"));
    }

    // Switching back removes the German translators.
    QVERIFY(installTranslations(*qApp, QStringLiteral("en")));
    ServerController controller;
    MainWindow window(&controller);
    QCOMPARE(window.windowTitle(), QStringLiteral("MultiModelVideo — Operator Console"));
    QCOMPARE(window.menuBar()->actions().at(0)->text(), QStringLiteral("&File"));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "&Yes"), QStringLiteral("&Yes"));
}

void TestMainWindow::unknownLanguageFails()
{
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("No translation.*xx")));
    QVERIFY(!installTranslations(*qApp, QStringLiteral("xx")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("No translation.*fr")));
    QVERIFY(!installTranslations(*qApp, QStringLiteral("fr")));
    QVERIFY(installTranslations(*qApp, QStringLiteral("en_GB")));

    ServerController controller;
    MainWindow window(&controller);
    QCOMPARE(window.windowTitle(), QStringLiteral("MultiModelVideo — Operator Console"));
}

void TestMainWindow::latencyProbeMeasuresABlockedEventLoop()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("probe.jsonl"));
    QTabWidget tabs;
    tabs.addTab(new QWidget, QStringLiteral("a"));
    tabs.addTab(new QWidget, QStringLiteral("b"));
    {
        LatencyProbe probe(path, 5);
        QVERIFY(probe.isOpen());
        probe.driveTabs(&tabs, 1, 0);
        QCOMPARE(tabs.currentIndex(), 1);
        // An idle event loop delivers the ticks promptly.
        QTRY_VERIFY(probe.pendingSamples().size() >= 5);
        // A GUI thread busy for 150 ms: the tick posted first waited about that long.
        QThread::msleep(150);
        const size_t before = probe.pendingSamples().size();
        QTRY_VERIFY(probe.pendingSamples().size() > before);
    } // the destructor writes what is left

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QJsonArray all;
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QVERIFY(object.value(u"rss_kib").toInteger() > 0);
        QCOMPARE(object.value(u"tab").toInt(), 1);
        for (const QJsonValue &value : object.value(u"latency_us").toArray())
            all.append(value);
    }
    QVERIFY(all.size() >= 6);
    qint64 worst = 0;
    for (const QJsonValue &value : std::as_const(all))
        worst = qMax(worst, value.toInteger());
    // The reports (once a second and at the end) hold that wait, in microseconds.
    QVERIFY2(worst >= 120'000, qPrintable(QString::number(worst)));
    QVERIFY2(worst < 5'000'000, qPrintable(QString::number(worst)));
}

void TestMainWindow::droppedVideoIsAnnounced()
{
    // A file dropped on the Videos tab: the status bar says it is being added (copying a large
    // file takes a while), then the server's answer (here: it is not running).
    ServerController controller;
    MainWindow window(&controller);
    auto *videos = window.findChild<VideosView *>();
    QVERIFY(videos);
    window.findChild<QTabWidget *>()->setCurrentWidget(videos);
    window.show(); // Qt delivers drops to visible widgets only
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMimeData data;
    data.setUrls({ QUrl::fromLocalFile(
        QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi")) });
    // As a drag does it: the widget that accepts the enter gets the drop.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(videos, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(videos, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Adding Megamind.avi to the library…"));
    // How far the copy is, for this request (a fresh controller numbers its requests from 1;
    // the answer is queued, so the request is still open here) and not for another.
    auto *row = child<QWidget>(*videos, "addingRow");
    auto *bar = child<QProgressBar>(*videos, "addingProgress");
    auto *stop = child<QPushButton>(*videos, "stopAddingButton");
    QVERIFY(row->isVisible());
    QCOMPARE(child<QLabel>(*videos, "addingLabel")->text(), QStringLiteral("Adding Megamind.avi"));
    QCOMPARE(bar->text(), QStringLiteral("0 %"));
    Q_EMIT controller.actionProgress(QStringLiteral("add video other.avi"), 0.9, 2);
    Q_EMIT controller.actionProgress(QStringLiteral("add video Megamind.avi"), 0.5, 1);
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Adding Megamind.avi to the library… 50 %"));
    QCOMPARE(bar->value(), 50);
    // Stopping asks the server to cancel (tst_servercontroller: addingCanBeStopped); the row
    // stays until the answer.
    QVERIFY(stop->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(!stop->isEnabled());
    QVERIFY(row->isVisible());
    QTRY_COMPARE(window.statusBar()->currentMessage(),
                 QStringLiteral("add video Megamind.avi failed: the server is not running"));
    QVERIFY(row->isHidden());

    // A server that stops while a file is being added leaves no "Adding ..." behind.
    QApplication::sendEvent(videos, &enter);
    QDropEvent again(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(videos, &again);
    QVERIFY(again.isAccepted());
    QVERIFY(row->isVisible());
    QVERIFY(stop->isEnabled());
    ServerState stopping;
    stopping.status = ServerState::Status::Stopping;
    Q_EMIT controller.stateChanged(stopping);
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Not added, the server stopped: Megamind.avi"));
    QVERIFY(row->isHidden());
}

void TestMainWindow::stopAddingCancelsTheAdd()
{
    // With a running server: Stop Adding reaches it, the add is answered "cancelled", and the
    // file never shows up in the library.
    QTemporaryDir dir;
    const QString dataDir = dir.filePath(QStringLiteral("data"));
    ServerController controller;
    const QString error = startLocalServer(controller, dataDir);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    MainWindow window(&controller);
    auto *videos = window.findChild<VideosView *>();
    window.findChild<QTabWidget *>()->setCurrentWidget(videos);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString big = dir.filePath(QStringLiteral("big.avi"));
    QVERIFY(writeBigVideo(big));
    QMimeData data;
    data.setUrls({ QUrl::fromLocalFile(big) });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(videos, &enter);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(videos, &drop);
    auto *row = child<QWidget>(*videos, "addingRow");
    QVERIFY(row->isVisible());
    QTest::mouseClick(child<QPushButton>(*videos, "stopAddingButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.statusBar()->currentMessage(),
                              QStringLiteral("add video big.avi failed: cancelled"), 20000);
    QVERIFY(row->isHidden());
    QCOMPARE(videos->model()->rowCount(), 0);
    QVERIFY(QDir(dataDir + QStringLiteral("/uploads")).isEmpty());
    controller.stop();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
