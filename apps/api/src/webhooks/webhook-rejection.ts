/** A delivery refused: the status to answer and a message the sender's admin can act on. */
export class WebhookRejection extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 404 | 413 | 415,
    message: string,
  ) {
    super(message);
  }

  get body() {
    const error = {
      400: 'Bad Request',
      401: 'Unauthorized',
      404: 'Not Found',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
    }[this.statusCode];
    return { statusCode: this.statusCode, error, message: this.message };
  }
}
