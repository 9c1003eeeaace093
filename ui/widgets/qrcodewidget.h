#pragma once

#include <QImage>
#include <QWidget>

namespace mmv::ui {

/// Draws a text as a QR code (libqrencode), scaled to whole pixels per module so that a
/// phone camera reads it reliably. Empty text draws nothing.
class QrCodeWidget : public QWidget
{
    Q_OBJECT

public:
    explicit QrCodeWidget(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    /// Modules per side without the quiet zone; 0 when there is no code.
    int moduleCount() const { return m_moduleCount; }
    /// One pixel per module, quiet zone included; null when there is no code.
    QImage image() const { return m_image; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QImage m_image;
    int m_moduleCount = 0;
};

} // namespace mmv::ui
