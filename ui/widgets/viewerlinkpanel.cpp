#include "viewerlinkpanel.h"

#include "qrcodewidget.h"

#include "server/core/logging.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace mmv::ui {

ViewerLinkPanel::ViewerLinkPanel(QWidget *parent)
    : QGroupBox(tr("Viewer link"), parent)
    , m_noAuthBanner(new QWidget(this))
    , m_viewerLinkEdit(new QLineEdit(this))
    , m_copyViewerLinkButton(new QPushButton(tr("Copy"), this))
    , m_openViewerLinkButton(new QPushButton(tr("Open in Browser"), this))
    , m_viewerHint(new QLabel(this))
    , m_qrCode(new QrCodeWidget(this))
    , m_operatorTokenCaption(new QLabel(tr("Operator token:"), this))
    , m_operatorTokenRow(new QWidget(this))
    , m_operatorTokenEdit(new QLineEdit(m_operatorTokenRow))
    , m_showOperatorTokenButton(new QPushButton(tr("Show"), m_operatorTokenRow))
    , m_copyOperatorTokenButton(new QPushButton(tr("Copy"), m_operatorTokenRow))
{
    setObjectName(QStringLiteral("viewerLinkPanel"));

    // The banner paints its own background so that it reads as a warning in every style.
    m_noAuthBanner->setObjectName(QStringLiteral("noAuthBanner"));
    m_noAuthBanner->setAttribute(Qt::WA_StyledBackground);
    m_noAuthBanner->setStyleSheet(
        QStringLiteral("#noAuthBanner { background: #fff4ce; border: 1px solid #e0b000;"
                       " border-radius: 4px; } #noAuthBanner QLabel { color: #4a3800; }"));
    auto *bannerIcon = new QLabel(m_noAuthBanner);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize) * 2;
    bannerIcon->setPixmap(style()
                              ->standardIcon(QStyle::SP_MessageBoxWarning)
                              .pixmap(iconSize, iconSize, QIcon::Normal));
    bannerIcon->setAlignment(Qt::AlignTop);
    auto *bannerText = new QLabel(
        tr("<b>Authentication is disabled.</b> Anyone who can reach this computer on the "
           "network has full operator rights. Use this only on a network you trust."),
        m_noAuthBanner);
    bannerText->setObjectName(QStringLiteral("noAuthBannerText"));
    bannerText->setWordWrap(true);
    auto *bannerLayout = new QHBoxLayout(m_noAuthBanner);
    bannerLayout->setContentsMargins(8, 6, 8, 6);
    bannerLayout->addWidget(bannerIcon);
    bannerLayout->addWidget(bannerText, 1);
    m_noAuthBanner->hide();

    m_viewerLinkEdit->setObjectName(QStringLiteral("viewerLinkEdit"));
    m_viewerLinkEdit->setReadOnly(true);
    m_viewerLinkEdit->setPlaceholderText(tr("Available while the server is listening"));
    m_copyViewerLinkButton->setObjectName(QStringLiteral("copyViewerLinkButton"));
    m_copyViewerLinkButton->setToolTip(tr("Copy the viewer link to the clipboard"));
    m_openViewerLinkButton->setObjectName(QStringLiteral("openViewerLinkButton"));
    m_openViewerLinkButton->setToolTip(tr("Open the viewer link in the web browser"));
    m_viewerHint->setObjectName(QStringLiteral("viewerHint"));
    m_viewerHint->setWordWrap(true);
    m_viewerHint->setForegroundRole(QPalette::PlaceholderText);

    m_operatorTokenEdit->setObjectName(QStringLiteral("operatorTokenEdit"));
    m_operatorTokenEdit->setReadOnly(true);
    m_operatorTokenEdit->setEchoMode(QLineEdit::Password);
    m_showOperatorTokenButton->setObjectName(QStringLiteral("showOperatorTokenButton"));
    m_showOperatorTokenButton->setCheckable(true);
    m_copyOperatorTokenButton->setObjectName(QStringLiteral("copyOperatorTokenButton"));
    m_copyOperatorTokenButton->setToolTip(tr("Copy the operator token to the clipboard"));
    auto *tokenLayout = new QHBoxLayout(m_operatorTokenRow);
    tokenLayout->setContentsMargins(0, 0, 0, 0);
    tokenLayout->addWidget(m_operatorTokenEdit, 1);
    tokenLayout->addWidget(m_showOperatorTokenButton);
    tokenLayout->addWidget(m_copyOperatorTokenButton);

    QFont linkFont = m_viewerLinkEdit->font();
    linkFont.setPointSizeF(linkFont.pointSizeF() * 1.1);
    m_viewerLinkEdit->setFont(linkFont);

    m_qrCode->setObjectName(QStringLiteral("viewerQrCode"));
    m_qrCode->setToolTip(tr("Scan with a phone or tablet to open the viewer link"));

    auto *linkButtons = new QHBoxLayout;
    linkButtons->addWidget(m_copyViewerLinkButton);
    linkButtons->addWidget(m_openViewerLinkButton);
    linkButtons->addStretch();

    auto *details = new QVBoxLayout;
    details->addLayout(linkButtons);
    details->addWidget(m_viewerHint);
    details->addSpacing(8);
    details->addWidget(m_operatorTokenCaption);
    details->addWidget(m_operatorTokenRow);
    details->addStretch();

    auto *detailsRow = new QHBoxLayout;
    detailsRow->addLayout(details, 1);
    detailsRow->addWidget(m_qrCode);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_noAuthBanner);
    layout->addWidget(new QLabel(tr("Viewers open this link to watch:"), this));
    layout->addWidget(m_viewerLinkEdit);
    layout->addLayout(detailsRow, 1);

    connect(m_copyViewerLinkButton, &QPushButton::clicked, this, &ViewerLinkPanel::copyViewerLink);
    connect(m_openViewerLinkButton, &QPushButton::clicked, this, &ViewerLinkPanel::openViewerLink);
    connect(m_showOperatorTokenButton, &QPushButton::toggled, this,
            &ViewerLinkPanel::setOperatorTokenShown);
    connect(m_copyOperatorTokenButton, &QPushButton::clicked, this,
            &ViewerLinkPanel::copyOperatorToken);

    setOperatorTokenShown(false);
    setState(ServerState(), ServerConfig());
}

void ViewerLinkPanel::setState(const ServerState &state, const ServerConfig &config)
{
    m_viewerLink = state.isListening()
        ? state.viewerLink(config.noAuth ? QString() : config.viewerToken)
        : QString();
    m_viewerLinkEdit->setText(m_viewerLink);
    m_viewerLinkEdit->setCursorPosition(0);
    m_viewerLinkEdit->setToolTip(m_viewerLink);
    const bool hasLink = !m_viewerLink.isEmpty();
    m_copyViewerLinkButton->setEnabled(hasLink);
    m_openViewerLinkButton->setEnabled(hasLink);
    m_qrCode->setText(m_viewerLink);
    m_qrCode->setVisible(hasLink);

    m_noAuthBanner->setVisible(config.noAuth);

    if (!hasLink)
        m_viewerHint->clear();
    else if (config.noAuth)
        m_viewerHint->setText(tr("No token is needed: authentication is disabled."));
    else if (config.viewerToken.isEmpty())
        m_viewerHint->setText(tr("No viewer token is set."));
    else
        m_viewerHint->setText(tr("The link includes the viewer token: share it only with "
                                 "people who may watch."));
    m_viewerHint->setVisible(hasLink);

    // Without authentication there is no operator token to hand out.
    m_operatorToken = config.noAuth ? QString() : config.operatorToken;
    const bool hasToken = !m_operatorToken.isEmpty();
    m_operatorTokenCaption->setVisible(hasToken);
    m_operatorTokenRow->setVisible(hasToken);
    m_operatorTokenEdit->setText(m_operatorToken);
    m_operatorTokenEdit->setCursorPosition(0);
    if (!hasToken)
        m_showOperatorTokenButton->setChecked(false);
}

void ViewerLinkPanel::copyViewerLink()
{
    if (m_viewerLink.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_viewerLink);
    Q_EMIT copiedToClipboard(tr("Viewer link copied to the clipboard."));
}

void ViewerLinkPanel::openViewerLink()
{
    if (m_viewerLink.isEmpty())
        return;
    if (!QDesktopServices::openUrl(QUrl(m_viewerLink)))
        qCWarning(lcUi) << "Could not open the viewer link in a web browser";
}

void ViewerLinkPanel::setOperatorTokenShown(bool shown)
{
    m_operatorTokenEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    m_showOperatorTokenButton->setText(shown ? tr("Hide") : tr("Show"));
    m_showOperatorTokenButton->setToolTip(shown ? tr("Hide the operator token")
                                                : tr("Show the operator token"));
}

void ViewerLinkPanel::copyOperatorToken()
{
    if (m_operatorToken.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_operatorToken);
    Q_EMIT copiedToClipboard(tr("Operator token copied to the clipboard."));
}

} // namespace mmv::ui
