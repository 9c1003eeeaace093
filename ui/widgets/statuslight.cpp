#include "statuslight.h"

#include "ui/uitext.h"

#include <QPainter>

namespace mmv::ui {

StatusLight::StatusLight(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setStatus(ServerState::Status::Stopped);
}

void StatusLight::setStatus(ServerState::Status status)
{
    m_color = colorFor(status);
    setAccessibleName(UiText::status(status));
    update();
}

QColor StatusLight::colorFor(ServerState::Status status)
{
    switch (status) {
    case ServerState::Status::Listening:
        return QColor(0x2e, 0x9d, 0x44);
    case ServerState::Status::Starting:
    case ServerState::Status::Stopping:
        return QColor(0xe6, 0xa1, 0x17);
    case ServerState::Status::Failed:
        return QColor(0xd3, 0x2f, 0x2f);
    case ServerState::Status::Stopped:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QSize StatusLight::sizeHint() const
{
    const int side = fontMetrics().height() * 3 / 4;
    return { side, side };
}

void StatusLight::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int side = qMin(width(), height()) - 2;
    const QRectF dot((width() - side) / 2.0, (height() - side) / 2.0, side, side);
    painter.setPen(QPen(m_color.darker(130), 1));
    painter.setBrush(m_color);
    painter.drawEllipse(dot);
}

} // namespace mmv::ui
