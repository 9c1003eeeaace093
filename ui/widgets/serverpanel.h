#pragma once

#include "server/core/servertypes.h"

#include <QGroupBox>

class QLabel;
class QListWidget;
class QPushButton;
class QAction;

namespace mmv::ui {

class StatusLight;

/// The "Server" box: status with a coloured light, bind address and port, every URL the
/// server can be reached at (copy and open), storage backend, uptime and connection counts.
class ServerPanel : public QGroupBox
{
    Q_OBJECT

public:
    explicit ServerPanel(QWidget *parent = nullptr);

    void setState(const ServerState &state, const ServerConfig &config);
    void setStats(const ServerStats &stats);

Q_SIGNALS:
    /// Something was put on the clipboard; `message` says what, for the status bar.
    void copiedToClipboard(const QString &message);

private:
    void copyCurrentUrl();
    void openCurrentUrl();
    QString currentUrl() const;
    void updateUrlActions();
    void resetStats();

    StatusLight *m_light;
    QLabel *m_statusLabel;
    QLabel *m_errorLabel;
    QLabel *m_bindLabel;
    QLabel *m_portLabel;
    QListWidget *m_urlList;
    QPushButton *m_copyUrlButton;
    QPushButton *m_openUrlButton;
    QAction *m_copyUrlAction;
    QAction *m_openUrlAction;
    QLabel *m_storageLabel;
    QLabel *m_dataDirLabel;
    QLabel *m_uptimeLabel;
    QLabel *m_connectionsLabel;
    QLabel *m_requestsLabel;
    QLabel *m_trafficLabel;
    bool m_listening = false;
};

} // namespace mmv::ui
