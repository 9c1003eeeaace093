#include "mainwindow.h"

#include "dialogs/settingsdialog.h"
#include "latencyprobe.h"
#include "screenshotdriver.h"
#include "uitext.h"
#include "widgets/broadcastview.h"
#include "widgets/chatview.h"
#include "widgets/connectionsview.h"
#include "widgets/eventstreamview.h"
#include "widgets/logpanel.h"
#include "widgets/roomsview.h"
#include "widgets/serverpanel.h"
#include "widgets/statuslight.h"
#include "widgets/videosview.h"
#include "widgets/viewerlinkpanel.h"

#include "server/core/loghub.h"
#include "server/core/servercontroller.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {
const auto GeometryKey = QStringLiteral("mainWindow/geometry");
const auto WindowStateKey = QStringLiteral("mainWindow/windowState");
const auto MainSplitterKey = QStringLiteral("mainWindow/mainSplitter");
const auto TopSplitterKey = QStringLiteral("mainWindow/topSplitter");
const auto LogHeaderKey = QStringLiteral("mainWindow/logHeader");
const auto CurrentTabKey = QStringLiteral("mainWindow/currentTab");
constexpr int ConnectionsRefreshMs = 1000;
constexpr int StatusMessageTimeoutMs = 4000;
} // namespace

MainWindow::MainWindow(ServerController *controller, Settings *settings, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_settings(settings)
    , m_mainSplitter(new QSplitter(Qt::Vertical, this))
    , m_topSplitter(new QSplitter(Qt::Horizontal, m_mainSplitter))
    , m_serverPanel(new ServerPanel(m_topSplitter))
    , m_viewerLinkPanel(new ViewerLinkPanel(m_topSplitter))
    , m_logPanel(nullptr)
    , m_tabs(new QTabWidget(this))
    , m_connectionsView(new ConnectionsView(controller, m_tabs))
    , m_roomsView(new RoomsView(controller, m_tabs))
    , m_eventStreamView(new EventStreamView(controller, m_tabs))
    , m_broadcastView(new BroadcastView(controller, m_tabs))
    , m_videosView(new VideosView(controller, m_tabs))
    , m_chatView(new ChatView(controller, m_tabs))
    , m_refreshTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("MultiModelVideo — Operator Console"));

    // The log view shows what LogHub gathers; installing is idempotent, and app/ may well
    // have done it before any window existed.
    LogHub::install();

    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_topSplitter->setObjectName(QStringLiteral("topSplitter"));
    m_mainSplitter->setContentsMargins(6, 4, 6, 0);
    m_mainSplitter->setChildrenCollapsible(false);
    m_topSplitter->setChildrenCollapsible(false);
    m_topSplitter->addWidget(m_serverPanel);
    m_topSplitter->addWidget(m_viewerLinkPanel);
    m_topSplitter->setStretchFactor(0, 1);
    m_topSplitter->setStretchFactor(1, 1);

    auto *logBox = new QGroupBox(tr("Log"), m_mainSplitter);
    logBox->setObjectName(QStringLiteral("logBox"));
    m_logPanel = new LogPanel(logBox);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->addWidget(m_logPanel);

    m_mainSplitter->addWidget(m_topSplitter);
    m_mainSplitter->addWidget(logBox);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);

    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_mainSplitter, tr("&Overview"));
    m_tabs->addTab(m_connectionsView, tr("&Connections"));
    m_tabs->addTab(m_roomsView, tr("&Rooms"));
    m_tabs->addTab(m_eventStreamView, tr("&Events"));
    m_tabs->addTab(m_broadcastView, tr("&Broadcast"));
    m_tabs->addTab(m_videosView, tr("V&ideos"));
    m_tabs->addTab(m_chatView, tr("Ch&at"));
    m_tabs->setTabToolTip(0, tr("Server status, connect info and the log"));
    m_tabs->setTabToolTip(1, tr("Every live connection and what it did"));
    m_tabs->setTabToolTip(2, tr("Rooms and their members"));
    m_tabs->setTabToolTip(3, tr("Every packet in and out, live"));
    m_tabs->setTabToolTip(4, tr("Send an event to everybody, a room or one socket"));
    m_tabs->setTabToolTip(5, tr("The video library and analysis results"));
    m_tabs->setTabToolTip(6, tr("Chat sessions as the operator"));
    setCentralWidget(m_tabs);

    // One snapshot a second feeds the connections, rooms and chat participants; the
    // models apply it as a diff, so views keep selection and scroll position.
    m_refreshTimer->setInterval(ConnectionsRefreshMs);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        if (m_controller && m_state.isListening())
            m_controller->requestConnections();
    });
    m_refreshTimer->start();
    connect(m_connectionsView, &ConnectionsView::composeRequested, this, &MainWindow::composeEvent);
    connect(m_roomsView, &RoomsView::composeRequested, this, &MainWindow::composeEvent);

    createMenus();
    createStatusBar();

    connect(m_serverPanel, &ServerPanel::copiedToClipboard, this, &MainWindow::showStatusMessage);
    connect(m_viewerLinkPanel, &ViewerLinkPanel::copiedToClipboard, this,
            &MainWindow::showStatusMessage);
    connect(m_videosView, &VideosView::statusMessage, this, &MainWindow::showLastingStatusMessage);
    if (m_controller) {
        connect(m_controller, &ServerController::stateChanged, this,
                &MainWindow::handleStateChanged);
        connect(m_controller, &ServerController::statsUpdated, this,
                &MainWindow::handleStatsUpdated);
        connect(m_controller, &ServerController::actionFinished, this,
                &MainWindow::handleActionFinished);
        m_stats = m_controller->stats();
        handleStateChanged(m_controller->state());
    } else {
        handleStateChanged(ServerState());
    }

    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::saveSettings);
    restoreSettings();
    // Only for the GUI latency benchmark; after restoreSettings() so that it picks the tab.
    LatencyProbe::createFromEnvironment(m_tabs, this);
    // Only for the documentation's screenshots.
    ScreenshotDriver::createFromEnvironment(this);
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    QAction *settingsAction
        = fileMenu->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settingsAction->setObjectName(QStringLiteral("settingsAction"));
    settingsAction->setShortcut(QKeySequence::Preferences);
    settingsAction->setMenuRole(QAction::PreferencesRole);
    settingsAction->setEnabled(m_settings != nullptr);
    fileMenu->addSeparator();
    QAction *quitAction = fileMenu->addAction(tr("&Quit"), this, &MainWindow::quit);
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quitAction->setMenuRole(QAction::QuitRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    QAction *clearLogAction = viewMenu->addAction(tr("&Clear Log"), m_logPanel, &LogPanel::clear);
    clearLogAction->setObjectName(QStringLiteral("clearLogAction"));
    clearLogAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->setObjectName(QStringLiteral("helpMenu"));
    QAction *aboutAction
        = helpMenu->addAction(tr("&About MultiModelVideo"), this, &MainWindow::showAbout);
    aboutAction->setObjectName(QStringLiteral("aboutAction"));
    aboutAction->setMenuRole(QAction::AboutRole);
    QAction *aboutQtAction = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQtAction->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createStatusBar()
{
    m_statusBarLight = new StatusLight(this);
    m_statusBarState = new QLabel(this);
    m_statusBarState->setObjectName(QStringLiteral("statusBarStateLabel"));
    m_statusBarAddress = new QLabel(this);
    m_statusBarAddress->setObjectName(QStringLiteral("statusBarAddressLabel"));
    m_statusBarConnections = new QLabel(this);
    m_statusBarConnections->setObjectName(QStringLiteral("statusBarConnectionsLabel"));
    m_statusBarMessages = new QLabel(this);
    m_statusBarMessages->setObjectName(QStringLiteral("statusBarMessagesLabel"));
    m_statusBarMessages->setToolTip(
        tr("Socket.IO packets received from and sent to clients per second"));
    m_statusBarUptime = new QLabel(this);
    m_statusBarUptime->setObjectName(QStringLiteral("statusBarUptimeLabel"));
    m_statusBarStorage = new QLabel(this);
    m_statusBarStorage->setObjectName(QStringLiteral("statusBarStorageLabel"));

    statusBar()->addPermanentWidget(m_statusBarLight);
    statusBar()->addPermanentWidget(m_statusBarState);
    statusBar()->addPermanentWidget(m_statusBarAddress);
    statusBar()->addPermanentWidget(m_statusBarConnections);
    statusBar()->addPermanentWidget(m_statusBarMessages);
    statusBar()->addPermanentWidget(m_statusBarUptime);
    statusBar()->addPermanentWidget(m_statusBarStorage);
}

void MainWindow::handleStateChanged(const ServerState &state)
{
    m_state = state;
    if (!state.isListening()) {
        m_stats = ServerStats();
        m_messagesInRate = m_messagesOutRate = -1;
    }
    const ServerConfig config = m_controller ? m_controller->config() : ServerConfig();
    m_serverPanel->setState(state, config);
    m_serverPanel->setStats(m_stats);
    m_viewerLinkPanel->setState(state, config);
    updateStatusBar();
    if (m_controller && state.isListening()) {
        // Idempotent: a repeated state change re-enables the tap and reloads the library.
        m_controller->setEventTapEnabled(true);
        m_controller->requestConnections();
        m_videosView->refresh();
        m_chatView->rejoin();
    }
}

void MainWindow::handleStatsUpdated(const ServerStats &stats)
{
    // Rates over the server's own sampling interval, not over when the samples arrived.
    const qint64 elapsedMs = stats.uptimeMs - m_stats.uptimeMs;
    if (elapsedMs > 0 && stats.messagesIn >= m_stats.messagesIn
        && stats.messagesOut >= m_stats.messagesOut && m_stats.uptimeMs > 0) {
        m_messagesInRate = double(stats.messagesIn - m_stats.messagesIn) * 1000.0 / elapsedMs;
        m_messagesOutRate = double(stats.messagesOut - m_stats.messagesOut) * 1000.0 / elapsedMs;
    } else if (elapsedMs <= 0 && stats.uptimeMs < m_stats.uptimeMs) {
        m_messagesInRate = m_messagesOutRate = -1; // a new run
    }
    m_stats = stats;
    m_serverPanel->setStats(stats);
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const bool listening = m_state.isListening();
    m_statusBarLight->setStatus(m_state.status);
    m_statusBarState->setText(UiText::status(m_state.status));
    // The first URL is the one a LAN viewer uses; all of them are in the tooltip.
    QString address = UiText::none();
    if (!m_state.urls.isEmpty()) {
        const QUrl url(m_state.urls.first());
        address = QStringLiteral("%1:%2").arg(url.host()).arg(url.port());
    } else if (m_state.port != 0) {
        address = QStringLiteral("%1:%2")
                      .arg(UiText::bindAddress(m_state.bindAddress))
                      .arg(m_state.port);
    }
    m_statusBarAddress->setText(tr("Address: %1").arg(address));
    m_statusBarAddress->setToolTip(m_state.urls.join(QLatin1Char('\n')));
    const QLocale locale;
    m_statusBarMessages->setText(listening && m_messagesInRate >= 0
                                     ? tr("Messages/s: %1 in, %2 out")
                                           .arg(locale.toString(m_messagesInRate, 'f', 0),
                                                locale.toString(m_messagesOutRate, 'f', 0))
                                     : tr("Messages/s: %1").arg(UiText::none()));
    m_statusBarConnections->setText(
        tr("Connections: %1")
            .arg(listening ? QString::number(m_stats.realtimeClients) : UiText::none()));
    m_statusBarUptime->setText(
        tr("Uptime: %1").arg(listening ? UiText::uptime(m_stats.uptimeSeconds) : UiText::none()));
    const QString health = m_stats.storageHealth;
    m_statusBarStorage->setText(tr("Storage: %1")
                                    .arg(!listening ? UiText::none()
                                             : health.isEmpty() || health == u"disabled"
                                             ? UiText::storage(m_state.storage)
                                             : tr("%1 (%2)", "storage (Redis state)")
                                                   .arg(UiText::storage(m_state.storage),
                                                        health == u"connected"  ? tr("connected")
                                                            : health == u"down" ? tr("down")
                                                                                : health)));
}

void MainWindow::handleActionFinished(const QString &action, int delivered, const QString &error)
{
    if (!error.isEmpty())
        showStatusMessage(tr("%1 failed: %2").arg(action, error));
    else if (action == u"emit")
        showStatusMessage(tr("Event delivered to %n client(s)", "", delivered));
    else
        showStatusMessage(tr("%1: done").arg(action));
}

void MainWindow::composeEvent(const QString &room, const QString &socketId)
{
    m_broadcastView->setTarget(room, socketId);
    m_tabs->setCurrentWidget(m_broadcastView);
}

void MainWindow::showSettings()
{
    if (!m_settings)
        return;
    SettingsDialog dialog(m_settings, m_controller, this);
    dialog.exec();
    // Tokens may have been regenerated even when the dialog was cancelled.
    handleStateChanged(m_state);
}

void MainWindow::showStatusMessage(const QString &message)
{
    statusBar()->showMessage(message, StatusMessageTimeoutMs);
}

void MainWindow::showLastingStatusMessage(const QString &message)
{
    statusBar()->showMessage(message);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About MultiModelVideo"),
                       tr("<h3>MultiModelVideo %1</h3>"
                          "<p>A video library and analysis server with a real-time "
                          "Socket.IO interface for browsers on the local network.</p>"
                          "<p>Built with Qt %2.</p>")
                           .arg(QStringLiteral(MMV_VERSION), QString::fromLatin1(qVersion())));
}

void MainWindow::quit()
{
    if (close())
        QCoreApplication::quit();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    if (!restoreGeometry(settings.value(GeometryKey).toByteArray()))
        resize(1100, 760);
    restoreState(settings.value(WindowStateKey).toByteArray());
    if (!m_mainSplitter->restoreState(settings.value(MainSplitterKey).toByteArray())) {
        // The top panels take what they need; the log gets the rest.
        m_mainSplitter->setSizes({ m_topSplitter->sizeHint().height(), height() });
    }
    if (!m_topSplitter->restoreState(settings.value(TopSplitterKey).toByteArray()))
        m_topSplitter->setSizes({ width() / 2, width() / 2 });
    m_logPanel->restoreHeaderState(settings.value(LogHeaderKey).toByteArray());
    m_tabs->setCurrentIndex(settings.value(CurrentTabKey, 0).toInt());
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(WindowStateKey, saveState());
    settings.setValue(MainSplitterKey, m_mainSplitter->saveState());
    settings.setValue(TopSplitterKey, m_topSplitter->saveState());
    settings.setValue(LogHeaderKey, m_logPanel->saveHeaderState());
    settings.setValue(CurrentTabKey, m_tabs->currentIndex());
}

} // namespace mmv::ui
