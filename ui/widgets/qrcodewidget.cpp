#include "qrcodewidget.h"

#include "server/core/logging.h"

#include <QPainter>

#include <qrencode.h>

namespace mmv::ui {

namespace {
constexpr int QuietZone = 4; ///< modules of white border the QR specification asks for
}

QrCodeWidget::QrCodeWidget(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void QrCodeWidget::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_image = QImage();
    m_moduleCount = 0;

    if (!text.isEmpty()) {
        const QByteArray utf8 = text.toUtf8();
        QRcode *code = QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (code) {
            m_moduleCount = code->width;
            const int side = code->width + 2 * QuietZone;
            m_image = QImage(side, side, QImage::Format_Grayscale8);
            m_image.fill(255);
            for (int y = 0; y < code->width; ++y) {
                uchar *line = m_image.scanLine(y + QuietZone);
                for (int x = 0; x < code->width; ++x) {
                    // Bit 0 of each byte is the module's colour: 1 is dark.
                    if (code->data[y * code->width + x] & 1)
                        line[x + QuietZone] = 0;
                }
            }
            QRcode_free(code);
        } else {
            qCWarning(lcUi) << "Could not encode a QR code for a text of" << utf8.size() << "bytes";
        }
    }
    update();
}

QSize QrCodeWidget::sizeHint() const
{
    return { 180, 180 };
}

QSize QrCodeWidget::minimumSizeHint() const
{
    return { 100, 100 };
}

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    if (m_image.isNull())
        return;
    const int available = qMin(width(), height());
    const int scale = qMax(1, available / m_image.width());
    const int side = scale * m_image.width();
    const QRect target((width() - side) / 2, (height() - side) / 2, side, side);
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(target, m_image);
}

} // namespace mmv::ui
