#include "mainwindow.h"

#include "uitext.h"
#include "widgets/logpanel.h"
#include "widgets/serverpanel.h"
#include "widgets/statuslight.h"
#include "widgets/viewerlinkpanel.h"

#include "server/core/loghub.h"
#include "server/core/servercontroller.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {
const auto GeometryKey = QStringLiteral("mainWindow/geometry");
const auto WindowStateKey = QStringLiteral("mainWindow/windowState");
const auto MainSplitterKey = QStringLiteral("mainWindow/mainSplitter");
const auto TopSplitterKey = QStringLiteral("mainWindow/topSplitter");
const auto LogHeaderKey = QStringLiteral("mainWindow/logHeader");
constexpr int StatusMessageTimeoutMs = 4000;
} // namespace

MainWindow::MainWindow(ServerController *controller, QWidget *parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_mainSplitter(new QSplitter(Qt::Vertical, this))
    , m_topSplitter(new QSplitter(Qt::Horizontal, m_mainSplitter))
    , m_serverPanel(new ServerPanel(m_topSplitter))
    , m_viewerLinkPanel(new ViewerLinkPanel(m_topSplitter))
    , m_logPanel(nullptr)
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
    setCentralWidget(m_mainSplitter);

    createMenus();
    createStatusBar();

    connect(m_serverPanel, &ServerPanel::copiedToClipboard, this, &MainWindow::showStatusMessage);
    connect(m_viewerLinkPanel, &ViewerLinkPanel::copiedToClipboard, this,
            &MainWindow::showStatusMessage);
    if (m_controller) {
        connect(m_controller, &ServerController::stateChanged, this,
                &MainWindow::handleStateChanged);
        connect(m_controller, &ServerController::statsUpdated, this,
                &MainWindow::handleStatsUpdated);
        m_stats = m_controller->stats();
        handleStateChanged(m_controller->state());
    } else {
        handleStateChanged(ServerState());
    }

    connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::saveSettings);
    restoreSettings();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
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
    m_statusBarPort = new QLabel(this);
    m_statusBarPort->setObjectName(QStringLiteral("statusBarPortLabel"));
    m_statusBarConnections = new QLabel(this);
    m_statusBarConnections->setObjectName(QStringLiteral("statusBarConnectionsLabel"));
    m_statusBarUptime = new QLabel(this);
    m_statusBarUptime->setObjectName(QStringLiteral("statusBarUptimeLabel"));

    statusBar()->addPermanentWidget(m_statusBarLight);
    statusBar()->addPermanentWidget(m_statusBarState);
    statusBar()->addPermanentWidget(m_statusBarPort);
    statusBar()->addPermanentWidget(m_statusBarConnections);
    statusBar()->addPermanentWidget(m_statusBarUptime);
}

void MainWindow::handleStateChanged(const ServerState &state)
{
    m_state = state;
    if (!state.isListening())
        m_stats = ServerStats();
    const ServerConfig config = m_controller ? m_controller->config() : ServerConfig();
    m_serverPanel->setState(state, config);
    m_serverPanel->setStats(m_stats);
    m_viewerLinkPanel->setState(state, config);
    updateStatusBar();
}

void MainWindow::handleStatsUpdated(const ServerStats &stats)
{
    m_stats = stats;
    m_serverPanel->setStats(stats);
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const bool listening = m_state.isListening();
    m_statusBarLight->setStatus(m_state.status);
    m_statusBarState->setText(UiText::status(m_state.status));
    m_statusBarPort->setText(
        tr("Port: %1").arg(m_state.port != 0 ? QString::number(m_state.port) : UiText::none()));
    m_statusBarConnections->setText(
        tr("Connections: %1")
            .arg(listening ? QString::number(m_stats.realtimeClients) : UiText::none()));
    m_statusBarUptime->setText(
        tr("Uptime: %1").arg(listening ? UiText::uptime(m_stats.uptimeSeconds) : UiText::none()));
}

void MainWindow::showStatusMessage(const QString &message)
{
    statusBar()->showMessage(message, StatusMessageTimeoutMs);
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
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(WindowStateKey, saveState());
    settings.setValue(MainSplitterKey, m_mainSplitter->saveState());
    settings.setValue(TopSplitterKey, m_topSplitter->saveState());
    settings.setValue(LogHeaderKey, m_logPanel->saveHeaderState());
}

} // namespace mmv::ui
