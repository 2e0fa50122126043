"""Browser pages of Toàn Trình (giao diện web): modeller, officer inbox, citizen, tracking,
reformer. Served by the API app through :data:`toantrinh.web.views.web_blueprint`; the JavaScript
talks only to the public REST API under ``/api/v1``. See docs/ui.md."""
