#pragma once

#include "server/core/servertypes.h"

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QPushButton;
class QWidget;

namespace mmv::ui {

class QrCodeWidget;

/// The "Viewer link" box: the link viewers open (copy, open in the browser), the operator
/// token behind a Show toggle, and a warning banner when authentication is disabled.
class ViewerLinkPanel : public QGroupBox
{
    Q_OBJECT

public:
    explicit ViewerLinkPanel(QWidget *parent = nullptr);

    void setState(const ServerState &state, const ServerConfig &config);
    QString viewerLink() const { return m_viewerLink; }

Q_SIGNALS:
    /// Something was put on the clipboard; `message` says what, for the status bar.
    void copiedToClipboard(const QString &message);

private:
    void copyViewerLink();
    void openViewerLink();
    void setOperatorTokenShown(bool shown);
    void copyOperatorToken();

    QWidget *m_noAuthBanner;
    QLineEdit *m_viewerLinkEdit;
    QPushButton *m_copyViewerLinkButton;
    QPushButton *m_openViewerLinkButton;
    QLabel *m_viewerHint;
    QrCodeWidget *m_qrCode;
    QLabel *m_operatorTokenCaption;
    QWidget *m_operatorTokenRow;
    QLineEdit *m_operatorTokenEdit;
    QPushButton *m_showOperatorTokenButton;
    QPushButton *m_copyOperatorTokenButton;
    QString m_viewerLink;
    QString m_operatorToken;
};

} // namespace mmv::ui
