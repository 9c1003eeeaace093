#pragma once

#include "server/core/servertypes.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QSplitter;
class QTabWidget;
class QTimer;

namespace mmv {
class ServerController;
class Settings;
} // namespace mmv

namespace mmv::ui {

class BroadcastView;
class ChatView;
class ConnectionsView;
class EventStreamView;
class LogPanel;
class RoomsView;
class ServerPanel;
class StatusLight;
class VideosView;
class ViewerLinkPanel;

/// The operator's window: an overview (server status and URLs, the viewer link and operator
/// token, the process log) and tabs for the live connections, rooms, event stream, manual
/// broadcast, videos and chat. It reads the server only through ServerController's value
/// types and signals, and remembers its geometry and layout in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    /// `settings` (may be null) enables the settings dialog.
    explicit MainWindow(ServerController *controller, Settings *settings = nullptr,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    LogPanel *logPanel() const { return m_logPanel; }
    QTabWidget *tabs() const { return m_tabs; }
    ConnectionsView *connectionsView() const { return m_connectionsView; }
    RoomsView *roomsView() const { return m_roomsView; }
    EventStreamView *eventStreamView() const { return m_eventStreamView; }
    BroadcastView *broadcastView() const { return m_broadcastView; }
    VideosView *videosView() const { return m_videosView; }
    ChatView *chatView() const { return m_chatView; }

    /// Opens the broadcast tab preset for a room or a socket.
    void composeEvent(const QString &room, const QString &socketId);
    void showSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void createStatusBar();
    void handleStateChanged(const ServerState &state);
    void handleStatsUpdated(const ServerStats &stats);
    void updateStatusBar();
    void handleActionFinished(const QString &action, int delivered, const QString &error);
    void showStatusMessage(const QString &message);
    /// Until the next message (work under way, whose end is announced).
    void showLastingStatusMessage(const QString &message);
    void showAbout();
    void quit();
    void restoreSettings();
    void saveSettings();

    QPointer<ServerController> m_controller;
    Settings *m_settings;
    ServerState m_state;
    ServerStats m_stats;
    double m_messagesInRate = -1; ///< per second between the last two samples; -1 unknown
    double m_messagesOutRate = -1;

    QSplitter *m_mainSplitter;
    QSplitter *m_topSplitter;
    ServerPanel *m_serverPanel;
    ViewerLinkPanel *m_viewerLinkPanel;
    LogPanel *m_logPanel;
    QTabWidget *m_tabs;
    ConnectionsView *m_connectionsView;
    RoomsView *m_roomsView;
    EventStreamView *m_eventStreamView;
    BroadcastView *m_broadcastView;
    VideosView *m_videosView;
    ChatView *m_chatView;
    QTimer *m_refreshTimer;

    StatusLight *m_statusBarLight = nullptr;
    QLabel *m_statusBarState = nullptr;
    QLabel *m_statusBarAddress = nullptr;
    QLabel *m_statusBarConnections = nullptr;
    QLabel *m_statusBarMessages = nullptr;
    QLabel *m_statusBarUptime = nullptr;
    QLabel *m_statusBarStorage = nullptr;
};

} // namespace mmv::ui
