#pragma once

#include "server/core/servertypes.h"

#include <QColor>
#include <QWidget>

namespace mmv::ui {

/// A small coloured dot showing the server status: green listening, amber starting or
/// stopping, red failed, grey stopped.
class StatusLight : public QWidget
{
    Q_OBJECT

public:
    explicit StatusLight(QWidget *parent = nullptr);

    void setStatus(ServerState::Status status);
    QColor color() const { return m_color; }

    static QColor colorFor(ServerState::Status status);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QColor m_color;
};

} // namespace mmv::ui
