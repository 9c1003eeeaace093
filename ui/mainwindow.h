#pragma once

#include "server/core/servertypes.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QSplitter;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class LogPanel;
class ServerPanel;
class StatusLight;
class ViewerLinkPanel;

/// The operator's window: server status and URLs, the viewer link and operator token, and
/// the process log. It reads the server only through ServerController's state, stats and
/// signals, and remembers its geometry and layout in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(ServerController *controller, QWidget *parent = nullptr);
    ~MainWindow() override;

    LogPanel *logPanel() const { return m_logPanel; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void createStatusBar();
    void handleStateChanged(const ServerState &state);
    void handleStatsUpdated(const ServerStats &stats);
    void updateStatusBar();
    void showStatusMessage(const QString &message);
    void showAbout();
    void quit();
    void restoreSettings();
    void saveSettings();

    QPointer<ServerController> m_controller;
    ServerState m_state;
    ServerStats m_stats;

    QSplitter *m_mainSplitter;
    QSplitter *m_topSplitter;
    ServerPanel *m_serverPanel;
    ViewerLinkPanel *m_viewerLinkPanel;
    LogPanel *m_logPanel;

    StatusLight *m_statusBarLight = nullptr;
    QLabel *m_statusBarState = nullptr;
    QLabel *m_statusBarPort = nullptr;
    QLabel *m_statusBarConnections = nullptr;
    QLabel *m_statusBarUptime = nullptr;
};

} // namespace mmv::ui
